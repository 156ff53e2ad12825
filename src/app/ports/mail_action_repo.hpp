#pragma once
// Port: what was done with quarantined mails: releases (one row per
// recipient) and learns (one row per request to a controller), migration
// 0017 (SQL in storage/).

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

struct ReleaseRecord {
    std::int64_t mail_id = 0;
    std::int64_t at = 0;  // unix ms
    std::string by;       // user name
    std::string recipient;
    std::string mode;  // "original" or "attachment"
    bool ok = false;
    std::string result;  // the relay's answer or the failure
};

struct LearnRecord {
    std::int64_t mail_id = 0;
    std::int64_t at = 0;
    std::string by;
    std::string learned_as;  // "spam" or "ham"
    std::string node;        // the controller asked
    bool ok = false;
    std::string result;
    // The fuzzy storage (migration 0021): "ok", "failed" or "skipped"
    // (also every learn from before fuzzy learning), and what happened.
    std::string fuzzy = "skipped";
    std::string fuzzy_result;
};

class MailActionRepo {
  public:
    virtual ~MailActionRepo() = default;
    // Adds the rows of one release and, when one of them was delivered,
    // marks the mail released at that time, in one transaction.
    [[nodiscard]] virtual Result<void> AddReleases(const std::vector<ReleaseRecord>& rows) = 0;
    // A mail's releases, oldest first.
    [[nodiscard]] virtual Result<std::vector<ReleaseRecord>> Releases(std::int64_t mail_id) = 0;
    [[nodiscard]] virtual Result<void> AddLearn(const LearnRecord& row) = 0;
    // A mail's learns, oldest first (the last one is what it counts as now).
    [[nodiscard]] virtual Result<std::vector<LearnRecord>> Learns(std::int64_t mail_id) = 0;
};

}  // namespace rqwatch::app
