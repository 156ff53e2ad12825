#pragma once
// Port: an Rspamd controller (its HTTP API: learnspam/learnham, stat),
// implemented over HTTP(S) with libcurl in net/.

#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

enum class LearnResult { kLearned, kAlreadyLearned };

class RspamdController {
  public:
    virtual ~RspamdController() = default;
    // POST /learnspam or /learnham of the controller at `url` with the
    // message. kUnavailable when it cannot be reached, refuses the password
    // or does not learn the message (the public message says why).
    [[nodiscard]] virtual Result<LearnResult> Learn(const std::string& url, bool spam,
                                                    const std::string& message) = 0;
    // The JSON of GET /stat; kUnavailable as above.
    [[nodiscard]] virtual Result<std::string> Stat(const std::string& url) = 0;
};

}  // namespace rqwatch::app
