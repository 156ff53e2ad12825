#pragma once
// What learning a mail does to Rspamd's fuzzy storage, besides Bayes: as an
// Rspamd admin (and mailcow) expects, spam adds the mail's fuzzy hashes to
// one list (`flag` of a writable fuzzy_check rule), so that copies of it
// are caught by FUZZY_* at once, and ham deletes them again, so that a
// mail released as a false positive stops matching. Off while `flag` is 0.

#include <cstdint>
#include <optional>
#include <string>

#include "app/ports/rspamd_controller.hpp"

namespace rqwatch::app {

struct FuzzyTraining {
    std::int64_t flag = 0;  // 0: off
    std::int64_t weight = 10;
    bool add_on_spam = true;
    bool delete_on_ham = true;
};

// What was done with the fuzzy storage for one learn, as recorded:
// status "ok", "failed" or "skipped", and why (for people).
struct FuzzyResult {
    std::string status;
    std::string message;
};

// The request a learn as spam or ham makes, or, when it makes none, why
// not (a "skipped" result). Bayes having failed skips it too: the
// controller that refused the mail would refuse the hashes as well, and
// the failure is already reported.
[[nodiscard]] std::optional<FuzzyRequest> FuzzyRequestFor(const FuzzyTraining& training, bool spam,
                                                          bool bayes_ok, FuzzyResult& skipped);

// The recorded result of a request sent: what it did, or its failure.
[[nodiscard]] FuzzyResult FuzzyResultOf(const FuzzyRequest& request, const Result<void>& sent);

}  // namespace rqwatch::app
