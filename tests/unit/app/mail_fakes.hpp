#pragma once
// In-memory ports for the mail use cases' tests (MailViewer and what is
// built on it): mails by id, quarantined files by path, the audit log, and
// a parser that reads nothing.

#include <map>
#include <string>
#include <vector>

#include "app/mail_viewer.hpp"
#include "app/ports/audit_log.hpp"
#include "app/ports/mail_action_repo.hpp"
#include "app/ports/mail_sender.hpp"

namespace rqwatch::app::fakes {

class Mails final : public MailRepo {
  public:
    std::map<std::int64_t, MailRecord> rows;
    Result<void> InsertBatch(std::vector<MailRecord>&) override { return {}; }
    Result<MailPage> Search(const MailSearch&) override { return MailPage{}; }
    Result<MailRecord> Get(std::int64_t id) override {
        auto it = rows.find(id);
        if (it == rows.end()) return Fail(ErrorCode::kNotFound, "no such mail");
        return it->second;
    }
};

class Blobs final : public BlobStore {
  public:
    std::map<std::string, std::string> files;
    std::vector<std::string> log;
    std::string RelativePath(const std::string& id, std::int64_t) const override { return id; }
    std::string AbsolutePath(const std::string& r) const override { return r; }
    Result<void> Put(const std::string&, std::string_view) override { return {}; }
    Result<void> Sync() override { return {}; }
    Result<BlobRemoval> Remove(const std::string& r) override {
        log.push_back("remove " + r);
        const bool had = files.erase(r) > 0;
        return BlobRemoval{had ? BlobRemoval::Kind::kFile : BlobRemoval::Kind::kMissing, 0};
    }
    Result<BlobRemoval> CheckRemove(const std::string&) const override { return BlobRemoval{}; }
    Result<std::string> Read(const std::string& r, std::uint64_t) const override {
        auto it = files.find(r);
        if (it == files.end()) return Fail(ErrorCode::kNotFound, "missing");
        return it->second;
    }
    Result<std::size_t> PruneEmptyDays(std::string_view) override { return 0; }
    Result<std::size_t> CountEmptyDays(std::string_view) const override { return 0; }
};

class Audit final : public AuditLog {
  public:
    std::vector<AuditEntry> entries;
    Result<void> Record(const AuditEntry& e) override {
        entries.push_back(e);
        return {};
    }
    Result<std::vector<AuditEntry>> Search(const AuditQuery&) override { return entries; }
};

class NoParser final : public MailContentParser {
  public:
    std::vector<HeaderField> HeaderFields(std::string_view) override {
        return {{"Received", "from x ([192.0.2.7]) by y"}};
    }
    MailBody Body(std::string_view) override { return {}; }
    std::optional<AttachmentContent> AttachmentAt(std::string_view, std::size_t) override {
        return std::nullopt;
    }
};

// The relay: records what it takes; `refuse` fails (as the relay's 550).
class Sender final : public MailSender {
  public:
    std::vector<OutgoingMail> sent;
    std::string refuse;  // this recipient fails
    Result<std::string> Send(const OutgoingMail& mail) override {
        if (mail.to == refuse) return Fail(ErrorCode::kUnavailable, "refused", "550 no");
        sent.push_back(mail);
        return std::string("250 ok");
    }
};

class Actions final : public MailActionRepo {
  public:
    std::vector<ReleaseRecord> releases;
    std::vector<LearnRecord> learns;
    Result<void> AddReleases(const std::vector<ReleaseRecord>& rows) override {
        releases.insert(releases.end(), rows.begin(), rows.end());
        return {};
    }
    Result<std::vector<ReleaseRecord>> Releases(std::int64_t) override { return releases; }
    Result<void> AddLearn(const LearnRecord& row) override {
        learns.push_back(row);
        return {};
    }
    Result<std::vector<LearnRecord>> Learns(std::int64_t) override { return learns; }
};

}  // namespace rqwatch::app::fakes
