#pragma once
// app::RemoteNode over HTTP(S) with libcurl: GET /api/v1/node/mails/ID/raw
// on the peer, signed with the shared node_api.secret (core/node_signature).

#include <functional>
#include <map>
#include <string>

#include "app/ports/remote_node.hpp"
#include "net/http_fetch.hpp"

namespace rqwatch::net {

class HttpRemoteNode final : public app::RemoteNode {
  public:
    using Clock = std::function<std::int64_t()>;  // unix seconds
    // `peers`: node name -> base URL. `fetch`: timeout, CA file, size cap.
    HttpRemoteNode(std::map<std::string, std::string> peers, std::string secret,
                   FetchOptions fetch, Clock clock = {});

    Result<std::string> FetchRaw(const std::string& node, std::int64_t mail_id) override;
    Result<bool> DeleteRaw(const std::string& node, std::int64_t mail_id) override;

  private:
    // The signed request (GET or DELETE) to `node`, and the reply's status
    // turned into an error unless 200.
    Result<std::string> Ask(const std::string& node, const char* method, std::int64_t mail_id);

    std::map<std::string, std::string> peers_;
    std::string secret_;
    FetchOptions fetch_;
    Clock clock_;
};

// The path a node serves (GET) and deletes (DELETE) a mail's raw bytes under.
[[nodiscard]] std::string NodeRawPath(std::int64_t mail_id);

}  // namespace rqwatch::net
