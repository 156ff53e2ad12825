#pragma once
// Port: another rqwatch node, asked for the raw mail it keeps in its
// quarantine (distributed mode: raw mail stays on the ingest node that took
// it in). Implemented over signed HTTP(S) in net/.

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

class RemoteNode {
  public:
    virtual ~RemoteNode() = default;
    // The bytes of mail `mail_id` from node `node` (a mail's `server`).
    // kNotFound when the node has no file for it; kUnavailable when the
    // node is not configured, unreachable or refuses this node.
    [[nodiscard]] virtual Result<std::string> FetchRaw(const std::string& node,
                                                       std::int64_t mail_id) = 0;
    // Deletes that file on the node (the asker records the deletion in the
    // shared database); false when there was none. kUnavailable as above.
    [[nodiscard]] virtual Result<bool> DeleteRaw(const std::string& node,
                                                 std::int64_t mail_id) = 0;
};

}  // namespace rqwatch::app
