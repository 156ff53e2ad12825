#pragma once
// Shared fixture helpers for the storage tests: one temp directory per test.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/mail.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/statement.hpp"

namespace rqwatch::storage::testing {

class TempDir {
  public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "rqwatch-storage-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& Path() const { return path_; }

  private:
    std::filesystem::path path_;
};

class DbTest : public ::testing::Test {
  protected:
    [[nodiscard]] DatabaseOptions Options() const {
        DatabaseOptions options;
        options.path = (dir_.Path() / "rqwatch.db").string();
        options.pool_size = 2;
        return options;
    }

    std::shared_ptr<Database> OpenDb(const DatabaseOptions& options) {
        auto db = Database::Open(options);
        if (!db) {
            ADD_FAILURE() << "open failed: " << db.error().public_msg << " / " << db.error().detail;
            return nullptr;
        }
        return *db;
    }

    std::shared_ptr<Database> OpenMigrated() {
        auto db = OpenDb(Options());
        if (!db) return nullptr;
        auto applied = Migrate(*db);
        if (!applied) {
            ADD_FAILURE() << "migrate failed: " << applied.error().public_msg << " / "
                          << applied.error().detail;
            return nullptr;
        }
        return db;
    }

    TempDir dir_;
};

// A realistic record: ~10 symbols, a few (duplicated) recipients, 1.5 KB of headers.
inline MailRecord MakeRecord(const std::string& spool_id,
                             std::int64_t received_at = 1'700'000'000'000) {
    MailRecord r;
    r.spool_id = spool_id;
    r.received_at = received_at;
    r.server = "mx1";
    r.qid = "4Xyz" + spool_id;
    r.action = "add header";
    r.score = 7.25;
    r.ip = "192.0.2.10";
    r.mail_from = "Sender@Example.org";
    r.rcpt_to = {"Alice@Example.com", "bob@example.com", "alice@example.com"};
    r.auth_user = "";
    r.rspamd_server = "rspamd1";
    r.scan_time_ms = 123;
    for (int i = 0; i < 10; ++i) {
        r.symbols.push_back(Symbol{"SYMBOL_" + std::to_string(i),
                                   0.5 * i,
                                   "group",
                                   {"group", "other"},
                                   {"option " + std::to_string(i)}});
    }
    r.fuzzy_json = "[]";
    r.subject = "Hello " + spool_id;
    r.mime_from = "Sender <sender@example.org>";
    r.mime_from_addr = "sender@example.org";
    r.mime_to = {{"Alice", "alice@example.com"}};
    r.message_id = spool_id + "@example.org";
    r.mail_date = 1'700'000'000;
    r.size = 4096;
    r.headers = std::string(1500, 'h');
    r.attachments = {{"invoice.pdf", "application/pdf", 2048}};
    return r;
}

}  // namespace rqwatch::storage::testing
