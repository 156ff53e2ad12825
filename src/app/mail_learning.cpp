#include "app/mail_learning.hpp"

#include <fmt/format.h>

#include "util/ids.hpp"

namespace rqwatch::app {

MailLearning::MailLearning(MailViewer& viewer, RspamdController* controller,
                           std::map<std::string, std::string> controllers,
                           MailActionRepo& actions, AuditLog& audit, FuzzyTraining fuzzy,
                           Clock clock)
    : viewer_(viewer), controller_(controller), controllers_(std::move(controllers)),
      fuzzy_(fuzzy), actions_(actions), clock_(clock ? clock : Clock(util::NowUnixMs)), audit_(audit, clock_) {}

Result<LearnOutcome> MailLearning::Learn(const Actor& actor, const Scope& scope, std::int64_t id,
                                         const std::string& as) {
    if (scope) return Fail(ErrorCode::kPermissionDenied, "only administrators may train Rspamd");
    if (as != "spam" && as != "ham") {
        return Fail(ErrorCode::kInvalidArgument, "as must be \"spam\" or \"ham\"");
    }
    auto mail = viewer_.Find(scope, id);
    if (!mail) return std::unexpected(mail.error());
    std::string node;
    for (const std::string& name : {mail->rspamd_server, mail->server, std::string("*")}) {
        if (!name.empty() && controllers_.contains(name)) {
            node = name;
            break;
        }
    }
    if (controller_ == nullptr || node.empty()) {
        return Fail(ErrorCode::kUnavailable,
                    fmt::format("no Rspamd controller is configured for \"{}\"",
                                mail->rspamd_server.empty() ? mail->server : mail->rspamd_server),
                    "rspamd.controllers");
    }
    auto raw = viewer_.Raw(scope, id);
    if (!raw) return std::unexpected(raw.error());
    const std::string& url = controllers_.at(node);
    const bool spam = as == "spam";
    auto learned = controller_->Learn(url, spam, raw->bytes);
    FuzzyResult fuzzy;
    if (auto request = FuzzyRequestFor(fuzzy_, spam, learned.has_value(), fuzzy)) {
        fuzzy = FuzzyResultOf(*request, controller_->Fuzzy(url, *request, raw->bytes));
    }
    LearnRecord row{id, clock_(), actor.username, as, node, learned.has_value(), {},
                    fuzzy.status, fuzzy.message};
    if (learned) {
        row.result = *learned == LearnResult::kAlreadyLearned ? "already learned" : "learned";
    } else {
        row.result = learned.error().public_msg;
    }
    auto recorded = actions_.AddLearn(row);
    if (!learned) return std::unexpected(learned.error());
    audit_.Record(actor, "mail.learn", "mail:" + std::to_string(id),
                  fmt::format("as: {}; node: {}; {}; fuzzy: {} ({}); subject: {}", as, node,
                              row.result, fuzzy.status, fuzzy.message, mail->subject));
    if (!recorded) return std::unexpected(recorded.error());
    return LearnOutcome{id, as, node, *learned == LearnResult::kAlreadyLearned, std::move(fuzzy)};
}

Result<std::vector<LearnRecord>> MailLearning::History(std::int64_t id) {
    return actions_.Learns(id);
}

}  // namespace rqwatch::app
