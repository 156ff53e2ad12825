// rqwatch notify: meant for cron (e.g. every 5 minutes). Sends each recipient
// of newly quarantined mail one digest through the [release] relay and
// records it (app/notifier.hpp); prints one summary line and one line per
// recipient whose digest the relay did not take (those stay pending).
// Holds a lock on DATA_DIR/notify.lock so that two runs never overlap (they
// would both send the same digest).

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "app/notifier.hpp"
#include "auth/sodium_action_signer.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/smtp_sender_factory.hpp"
#include "storage/sql_notify_repo.hpp"
#include "util/fs.hpp"
#include "util/ids.hpp"

namespace rqwatch::cli {
namespace {

// Closes the lock file (and so releases the lock) when the run ends.
class RunLock {
  public:
    explicit RunLock(const std::string& path)
        : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {}
    ~RunLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    RunLock(const RunLock&) = delete;
    RunLock& operator=(const RunLock&) = delete;
    [[nodiscard]] bool Opened() const { return fd_ >= 0; }
    [[nodiscard]] bool Acquire() const { return ::flock(fd_, LOCK_EX | LOCK_NB) == 0; }

  private:
    int fd_;
};

}  // namespace

int RunNotify(const std::string& config_path, std::optional<std::int64_t> now_override) {
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    if (!cfg->notify.enabled) {
        std::cout << "notify: off (notify.enabled is false), nothing sent\n";
        return 0;
    }
    const auto& n = cfg->notify;
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/true);
    if (!db) return 1;
    if (auto made = util::MakeDirs(cfg->data_dir); !made) {
        PrintError("cannot create " + cfg->data_dir, made.error());
        return 1;
    }
    const std::string lock_path = cfg->data_dir + "/notify.lock";
    RunLock lock(lock_path);
    if (!lock.Opened()) {
        std::cerr << "rqwatch: cannot open " << lock_path << ": " << std::strerror(errno) << "\n";
        return 1;
    }
    if (!lock.Acquire()) {
        std::cerr << "rqwatch: another notify run holds " << cfg->data_dir
                  << "/notify.lock; nothing sent\n";
        return 1;
    }
    auto smtp = MakeSmtpSender(cfg->release);  // validation made sure there is one
    storage::SqlNotifyRepo repo(db);
    // The one-click links, when notify.token_secret signs them (served by
    // `serve` at /t/TOKEN, app/digest_actions.hpp).
    std::unique_ptr<auth::SodiumActionSigner> signer;
    app::DigestLinker linker;
    const std::int64_t now_ms = now_override.value_or(util::NowUnixMs());
    if (!n.token_secret.empty()) {
        signer = std::make_unique<auth::SodiumActionSigner>(n.token_secret);
        std::string base = n.base_url;
        while (base.ends_with('/')) base.pop_back();
        const std::int64_t expires = now_ms / 1000 + n.token_lifetime_hours * 3600;
        const bool may_delete = cfg->quarantine.users_may_delete;
        linker = [&signer, base, expires, may_delete](const app::NotifyItem& it) {
            std::vector<app::DigestLink> links;
            auto link = [&](app::DigestAction action) {
                return fmt::format("{}/t/{}", base,
                                   signer->Sign(app::ActionClaim{.mail_id = it.mail_id,
                                                                 .action = action,
                                                                 .recipient = it.recipient,
                                                                 .expires_s = expires}));
            };
            links.push_back({"Release", link(app::DigestAction::kRelease)});
            if (may_delete) links.push_back({"Delete", link(app::DigestAction::kDelete)});
            return links;
        };
    }
    app::Notifier notifier(repo, *smtp,
                           app::NotifyOptions{.from = n.from,
                                              .base_url = n.base_url,
                                              .max_score = static_cast<double>(n.max_score),
                                              .max_age_days = n.max_age_days,
                                              .per_message = n.per_message,
                                              .default_schedule =
                                                  {.frequency = ParseNotifyFrequency(
                                                                    n.default_frequency)
                                                                    .value_or(NotifyFrequency::kImmediate),
                                                   .hour = static_cast<int>(n.default_hour)},
                                              .default_time_zone = n.default_time_zone},
                           std::move(linker));
    auto result = notifier.Run(now_ms);
    if (!result) {
        PrintError("notify stopped", result.error());
        return 1;
    }
    std::cout << fmt::format("notify: {} {} sent for {} {}, {} failed, {} not due yet\n",
                             result->mails_sent, result->mails_sent == 1 ? "mail" : "mails",
                             result->items_notified,
                             result->items_notified == 1 ? "message" : "messages", result->failed,
                             result->not_due);
    for (const std::string& e : result->errors) std::cerr << "rqwatch: not sent: " << e << "\n";
    return result->failed == 0 ? 0 : 1;
}

}  // namespace rqwatch::cli
