#pragma once
// Port: an Rspamd controller (its HTTP API: learnspam/learnham,
// fuzzyadd/fuzzydel, stat), implemented over HTTP(S) with libcurl in net/.

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

enum class LearnResult { kLearned, kAlreadyLearned };

// One fuzzy_check training request: the controller hashes the message and
// sends the hashes to the fuzzy storage of every writable rule that has
// `flag` in its fuzzy_map.
struct FuzzyRequest {
    bool add = true;          // fuzzyadd, else fuzzydel
    std::int64_t flag = 0;    // the list (e.g. FUZZY_DENIED) of the rule
    std::int64_t weight = 0;  // fuzzyadd only: how much one add counts
};

class RspamdController {
  public:
    virtual ~RspamdController() = default;
    // POST /learnspam or /learnham of the controller at `url` with the
    // message. kUnavailable when it cannot be reached, refuses the password
    // or does not learn the message (the public message says why).
    [[nodiscard]] virtual Result<LearnResult> Learn(const std::string& url, bool spam,
                                                    const std::string& message) = 0;
    // POST /fuzzyadd or /fuzzydel with the message. kUnavailable as above,
    // also when no writable rule has the flag (the public message says so).
    [[nodiscard]] virtual Result<void> Fuzzy(const std::string& url, const FuzzyRequest& request,
                                             const std::string& message) = 0;
    // The JSON of GET /stat; kUnavailable as above.
    [[nodiscard]] virtual Result<std::string> Stat(const std::string& url) = 0;
};

}  // namespace rqwatch::app
