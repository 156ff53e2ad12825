#pragma once
// In-memory stand-ins for the account ports, for the use-case tests (the
// SQL implementations have their own tests on every engine).

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "app/ports/api_token_repo.hpp"
#include "app/ports/audit_log.hpp"
#include "app/ports/directory.hpp"
#include "app/ports/password_hasher.hpp"
#include "app/ports/session_store.hpp"
#include "app/ports/token_source.hpp"
#include "app/ports/totp_repo.hpp"
#include "app/ports/user_repo.hpp"

namespace rqwatch::app::testing {

class FakeUsers final : public UserRepo {
  public:
    Result<std::int64_t> Add(const User& user) override {
        for (const auto& [id, u] : users)
            if (u.username == user.username) return Fail(ErrorCode::kConflict, "taken");
        User u = user;
        u.id = next_id++;
        users[u.id] = u;
        return u.id;
    }
    Result<User> FindByUsername(const std::string& name) override {
        for (const auto& [id, u] : users)
            if (u.username == name) return u;
        return Fail(ErrorCode::kNotFound, "no such user");
    }
    Result<User> FindById(std::int64_t id) override {
        auto it = users.find(id);
        if (it == users.end()) return Fail(ErrorCode::kNotFound, "no such user");
        return it->second;
    }
    Result<std::vector<User>> List(const UserListQuery&) override {
        std::vector<User> out;
        for (const auto& [id, u] : users) out.push_back(u);
        return out;
    }
    Result<void> Update(const User& user) override {
        if (!users.contains(user.id)) return Fail(ErrorCode::kNotFound, "no such user");
        const auto keep = users[user.id];
        users[user.id] = user;
        users[user.id].created_at = keep.created_at;
        users[user.id].last_login = keep.last_login;
        ++updates;
        return {};
    }
    Result<void> Delete(std::int64_t id) override {
        if (users.erase(id) == 0) return Fail(ErrorCode::kNotFound, "no such user");
        std::erase_if(aliases, [id](const Alias& a) { return a.user_id == id; });
        return {};
    }
    Result<void> RecordLogin(std::int64_t id, std::int64_t at) override {
        users[id].last_login = at;
        return {};
    }
    Result<std::vector<Alias>> AliasesOf(std::int64_t user_id) override {
        std::vector<Alias> out;
        for (const auto& a : aliases)
            if (a.user_id == user_id) out.push_back(a);
        return out;
    }
    Result<Alias> FindAlias(std::int64_t id) override {
        for (const auto& a : aliases)
            if (a.id == id) return a;
        return Fail(ErrorCode::kNotFound, "no such alias");
    }
    Result<std::vector<Alias>> ListAliases(const UserListQuery&) override { return aliases; }
    Result<std::int64_t> AddAlias(std::int64_t user_id, const std::string& alias) override {
        aliases.push_back(Alias{next_id, user_id, alias, 0, 0});
        return next_id++;
    }
    Result<void> UpdateAlias(std::int64_t id, const std::string& alias) override {
        for (auto& a : aliases)
            if (a.id == id) a.alias = alias;
        return {};
    }
    Result<void> DeleteAlias(std::int64_t id) override {
        std::erase_if(aliases, [id](const Alias& a) { return a.id == id; });
        return {};
    }
    Result<void> SetAliases(std::int64_t user_id, const std::vector<std::string>& set) override {
        std::erase_if(aliases, [user_id](const Alias& a) { return a.user_id == user_id; });
        for (const auto& a : set) (void)AddAlias(user_id, a);
        return {};
    }

    std::map<std::int64_t, User> users;
    std::vector<Alias> aliases;
    std::int64_t next_id = 1;
    int updates = 0;
};

class FakeAudit final : public AuditLog {
  public:
    Result<void> Record(const AuditEntry& e) override {
        entries.push_back(e);
        return {};
    }
    Result<std::vector<AuditEntry>> Search(const AuditQuery&) override { return entries; }
    [[nodiscard]] std::vector<std::string> Actions() const {
        std::vector<std::string> out;
        for (const auto& e : entries) out.push_back(e.action);
        return out;
    }
    std::vector<AuditEntry> entries;
};

// "$argon2id$" + password; a taken-over legacy hash is "$2y$" + password.
class FakeHasher final : public PasswordHasher {
  public:
    Result<std::string> Hash(std::string_view pw) override {
        return "$argon2id$" + std::string(pw);
    }
    bool Verify(std::string_view pw, const std::string& hash) override {
        ++verifications;
        return !hash.empty() &&
               (hash == "$argon2id$" + std::string(pw) || hash == "$2y$" + std::string(pw));
    }
    int verifications = 0;
};

class FakeDirectory final : public Directory {
  public:
    Result<DirectoryUser> Authenticate(std::string_view login, std::string_view pw) override {
        ++calls;
        if (down) return Fail(ErrorCode::kUnavailable, "directory unavailable");
        auto it = people.find(std::string(login));
        if (it == people.end() || it->second.first != pw) {
            return Fail(ErrorCode::kUnauthenticated, "wrong");
        }
        return it->second.second;
    }
    std::map<std::string, std::pair<std::string, DirectoryUser>> people;
    bool down = false;
    int calls = 0;
};

class FakeSessions final : public SessionStore {
  public:
    Result<void> Create(const SessionRecord& s) override {
        rows[s.key] = s;
        return {};
    }
    Result<SessionRecord> Find(const std::string& key) override {
        auto it = rows.find(key);
        if (it == rows.end()) return Fail(ErrorCode::kNotFound, "no session");
        return it->second;
    }
    Result<void> Touch(const std::string& key, std::int64_t at) override {
        rows[key].last_seen = at;
        ++touches;
        return {};
    }
    Result<void> Delete(const std::string& key) override {
        rows.erase(key);
        return {};
    }
    Result<void> DeleteAllOf(std::int64_t user_id) override {
        std::erase_if(rows, [user_id](const auto& kv) { return kv.second.user_id == user_id; });
        return {};
    }
    Result<std::int64_t> DeleteExpired(std::int64_t idle_before,
                                       std::int64_t created_before) override {
        return static_cast<std::int64_t>(std::erase_if(rows, [&](const auto& kv) {
            return kv.second.last_seen < idle_before || kv.second.created_at < created_before;
        }));
    }
    std::map<std::string, SessionRecord> rows;
    int touches = 0;
};

// Counting tokens; the digest is visibly different from the token.
class FakeTokens final : public TokenSource {
  public:
    std::string NewToken() override { return "token" + std::to_string(++n); }
    std::string Digest(std::string_view t) override { return "digest-of-" + std::string(t); }
    // Counting bytes: 1, 2, 3, …
    std::string RandomBytes(std::size_t count) override {
        std::string out;
        for (std::size_t i = 0; i < count; ++i) out.push_back(static_cast<char>(++byte));
        return out;
    }
    bool Equal(std::string_view a, std::string_view b) override { return a == b; }
    int n = 0;
    unsigned char byte = 0;
};

class FakeApiTokens final : public ApiTokenRepo {
  public:
    Result<std::int64_t> Add(const ApiToken& token, int max_per_user) override {
        int count = 0;
        for (const auto& [id, t] : rows) {
            if (t.user_id != token.user_id) continue;
            if (t.name == token.name) return Fail(ErrorCode::kConflict, "name taken");
            ++count;
        }
        if (count >= max_per_user) return Fail(ErrorCode::kConflict, "too many tokens");
        ApiToken t = token;
        t.id = next_id++;
        rows[t.id] = t;
        return t.id;
    }
    Result<std::vector<ApiToken>> ListOf(std::int64_t user_id) override {
        std::vector<ApiToken> out;
        for (const auto& [id, t] : rows)
            if (t.user_id == user_id) out.insert(out.begin(), t);
        return out;
    }
    Result<ApiToken> FindByDigest(const std::string& digest) override {
        for (const auto& [id, t] : rows)
            if (t.digest == digest) return t;
        return Fail(ErrorCode::kNotFound, "no such token");
    }
    Result<ApiToken> Find(std::int64_t user_id, std::int64_t id) override {
        auto it = rows.find(id);
        if (it == rows.end() || it->second.user_id != user_id) {
            return Fail(ErrorCode::kNotFound, "no such token");
        }
        return it->second;
    }
    Result<void> Delete(std::int64_t user_id, std::int64_t id) override {
        if (auto t = Find(user_id, id); !t) return std::unexpected(t.error());
        rows.erase(id);
        return {};
    }
    Result<void> Touch(std::int64_t id, std::int64_t at, std::int64_t unless_after) override {
        auto& t = rows.at(id);
        if (!t.last_used_at || *t.last_used_at <= unless_after) {
            t.last_used_at = at;
            ++touches;
        }
        return {};
    }
    std::map<std::int64_t, ApiToken> rows;
    std::int64_t next_id = 1;
    int touches = 0;
};

class FakeTotp final : public TotpRepo {
  public:
    Result<TotpSecret> Find(std::int64_t user_id) override {
        auto it = rows.find(user_id);
        if (it == rows.end()) return Fail(ErrorCode::kNotFound, "TOTP is not set up");
        return it->second;
    }
    Result<void> SetPending(const TotpSecret& pending) override {
        auto it = rows.find(pending.user_id);
        if (it != rows.end() && it->second.confirmed_at) return Fail(ErrorCode::kConflict, "on");
        rows[pending.user_id] = pending;
        return {};
    }
    Result<void> Confirm(std::int64_t user_id, std::int64_t at, std::int64_t step) override {
        auto it = rows.find(user_id);
        if (it == rows.end() || it->second.confirmed_at) return Fail(ErrorCode::kNotFound, "none");
        it->second.confirmed_at = at;
        it->second.last_step = step;
        return {};
    }
    Result<bool> UseStep(std::int64_t user_id, std::int64_t step) override {
        auto it = rows.find(user_id);
        if (it == rows.end() || it->second.last_step >= step) return false;
        it->second.last_step = step;
        return true;
    }
    Result<bool> Delete(std::int64_t user_id) override { return rows.erase(user_id) > 0; }
    std::map<std::int64_t, TotpSecret> rows;
};

}  // namespace rqwatch::app::testing
