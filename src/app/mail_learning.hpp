#pragma once
// Use case: an administrator tells Rspamd that a quarantined mail is spam
// or ham: the mail goes to learnspam/learnham of the controller of the node
// that scanned it (the mail's rspamd_server, else its ingest node, else
// "*" in the map of controllers). Every request is recorded with its
// result (learned as what, by whom, when), so the detail shows what a mail
// counts as now; learning it again as the other class relearns it (Rspamd
// moves its tokens). Where configured (app/fuzzy_training.hpp), spam also
// adds the mail's fuzzy hashes and ham deletes them, recorded next to the
// Bayes result; a fuzzy failure does not fail the learn. Audited.
// Blocking (SQL, file, HTTP): run on a worker thread.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/fuzzy_training.hpp"
#include "app/mail_viewer.hpp"
#include "app/ports/mail_action_repo.hpp"
#include "app/ports/rspamd_controller.hpp"

namespace rqwatch::app {

struct LearnOutcome {
    std::int64_t id = 0;
    std::string learned_as;  // "spam" or "ham"
    std::string node;        // the controller's name in the map
    bool already = false;    // Rspamd had learned it as that already
    FuzzyResult fuzzy;
};

class MailLearning {
  public:
    using Clock = AuditTrail::Clock;
    // `controllers`: node name (or "*") -> controller base URL. `controller`
    // null or the map empty: learning is off (every call kUnavailable).
    MailLearning(MailViewer& viewer, RspamdController* controller,
                 std::map<std::string, std::string> controllers, MailActionRepo& actions,
                 AuditLog& audit, FuzzyTraining fuzzy = {}, Clock clock = {});

    // Administrators only (`scope` nullopt), else kPermissionDenied.
    // kInvalidArgument unless `as` is "spam" or "ham"; kNotFound when the
    // mail is unknown or not kept; kUnavailable when no controller serves
    // its node, or the controller cannot be reached or does not learn it
    // (recorded as failed).
    [[nodiscard]] Result<LearnOutcome> Learn(const Actor& actor, const Scope& scope,
                                             std::int64_t id, const std::string& as);
    [[nodiscard]] Result<std::vector<LearnRecord>> History(std::int64_t id);

  private:
    MailViewer& viewer_;
    RspamdController* controller_;
    std::map<std::string, std::string> controllers_;
    FuzzyTraining fuzzy_;
    MailActionRepo& actions_;
    Clock clock_;
    AuditTrail audit_;
};

}  // namespace rqwatch::app
