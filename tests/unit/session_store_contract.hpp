#pragma once
// The app::SessionStore contract, written once for every store: the SQL store
// (tests/unit/storage/sql_session_store_test.cpp, on every engine) and the
// Redis store (tests/unit/redis/redis_session_store_test.cpp, standalone and
// through the Sentinels). Each fixture builds a SessionStoreContract on its
// store and calls one case a test; what only one store does (the SQL store's
// foreign key on the user, its cut ip; Redis's data model, its expiry) stays
// in that store's own test file.
//
// The cases are void functions with ASSERTs: a fatal failure ends the case,
// so a test that goes on after one calls it in ASSERT_NO_FATAL_FAILURE.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "app/ports/session_store.hpp"
#include "core/error.hpp"

namespace rqwatch::testing {

// The records the tests create: csrf_token "csrf-" + key, a documentation ip.
inline app::SessionRecord MakeSession(const std::string& key, std::int64_t user_id,
                                      std::int64_t created_at, std::int64_t last_seen) {
    return {.key = key,
            .user_id = user_id,
            .csrf_token = "csrf-" + key,
            .created_at = created_at,
            .last_seen = last_seen,
            .ip = "192.0.2.1"};
}

// Whether `key` is found; any error but kNotFound fails the test.
inline bool SessionExists(app::SessionStore& store, const std::string& key) {
    auto s = store.Find(key);
    if (!s) {
        EXPECT_EQ(s.error().code, ErrorCode::kNotFound) << s.error().detail;
    }
    return s.has_value();
}

struct SessionStoreContract {
    app::SessionStore& store;
    // created_at and last_seen of the records the cases make (ms): a time the
    // store does not expire at once.
    std::int64_t now = 0;
    // Three users the store accepts; admin + 100 is nobody's id.
    std::int64_t alice = 0;
    std::int64_t bob = 0;
    std::int64_t admin = 0;

    [[nodiscard]] app::SessionRecord Make(const std::string& key, std::int64_t user_id) const {
        return MakeSession(key, user_id, now, now);
    }
    [[nodiscard]] bool Exists(const std::string& key) const { return SessionExists(store, key); }

    // Every field comes back as written; created_at is the store's choice
    // (a real epoch in ms, or "now" where the store expires old sessions).
    void CreatesAndFinds(std::int64_t created_at) const {
        const std::string key(64, 'a');  // a SHA-256 in hex
        const app::SessionRecord s{.key = key,
                                   .user_id = alice,
                                   .csrf_token = "tok",
                                   .created_at = created_at,
                                   .last_seen = created_at + 500,
                                   .ip = "2001:db8::1"};
        auto r = store.Create(s);
        ASSERT_TRUE(r) << r.error().detail;
        auto found = store.Find(key);
        ASSERT_TRUE(found) << found.error().detail;
        EXPECT_EQ(found->key, key);
        EXPECT_EQ(found->user_id, alice);
        EXPECT_FALSE(found->impersonator_id);
        EXPECT_EQ(found->csrf_token, "tok");
        EXPECT_EQ(found->created_at, created_at);
        EXPECT_EQ(found->last_seen, created_at + 500);
        EXPECT_EQ(found->ip, "2001:db8::1");

        app::SessionRecord as = Make("as", bob);
        as.impersonator_id = admin;
        ASSERT_TRUE(store.Create(as));
        auto impersonated = store.Find("as");
        ASSERT_TRUE(impersonated);
        EXPECT_EQ(impersonated->user_id, bob);
        EXPECT_EQ(impersonated->impersonator_id, admin);
    }

    void UnknownKeyIsNotFound() const {
        ASSERT_TRUE(store.Create(Make("known", alice)));
        auto r = store.Find("unknown");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
        EXPECT_FALSE(Exists("KNOWN"));  // keys are exact
        EXPECT_FALSE(Exists(std::string(200, 'k')));
        EXPECT_FALSE(Exists(""));
    }

    // Another record under a taken key is refused, and the first one stays.
    void DuplicateKeyIsConflict() const {
        ASSERT_TRUE(store.Create(Make("k", alice)));
        auto again = store.Create(Make("k", bob));
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().code, ErrorCode::kConflict);
        EXPECT_EQ(store.Find("k")->user_id, alice);
    }

    // Keys and tokens are never cut: a cut key could match another session.
    void OverLongValues() const {
        app::SessionRecord s = Make(std::string(128, 'k'), alice);
        s.csrf_token = std::string(128, 't');
        ASSERT_TRUE(store.Create(s));
        EXPECT_TRUE(Exists(s.key));

        for (const auto& bad : {Make(std::string(129, 'k'), alice), Make("", alice)}) {
            auto r = store.Create(bad);
            ASSERT_FALSE(r);
            EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
        }
        s = Make("token", alice);
        s.csrf_token = std::string(129, 't');
        auto r = store.Create(s);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
        EXPECT_FALSE(Exists("token"));
    }

    void TouchMovesLastSeenForwardOnly() const {
        app::SessionRecord k = Make("k", alice);
        k.last_seen = k.created_at + 1'000;
        app::SessionRecord other = Make("other", alice);
        other.last_seen = other.created_at + 1'000;
        ASSERT_TRUE(store.Create(k));
        ASSERT_TRUE(store.Create(other));
        const std::int64_t t = k.created_at;
        ASSERT_TRUE(store.Touch("k", t + 5'000));
        EXPECT_EQ(store.Find("k")->last_seen, t + 5'000);
        EXPECT_EQ(store.Find("other")->last_seen, other.last_seen);
        ASSERT_TRUE(store.Touch("k", t + 3'000));  // a slower concurrent request
        EXPECT_EQ(store.Find("k")->last_seen, t + 5'000);
        EXPECT_EQ(store.Find("k")->created_at, k.created_at);
        EXPECT_TRUE(store.Touch("gone", t + 5'000));  // logged out meanwhile: no error
        EXPECT_FALSE(Exists("gone"));
    }

    void Deletes() const {
        ASSERT_TRUE(store.Create(Make("k", alice)));
        ASSERT_TRUE(store.Create(Make("other", alice)));
        ASSERT_TRUE(store.Delete("k"));
        EXPECT_FALSE(Exists("k"));
        EXPECT_TRUE(Exists("other"));
        EXPECT_TRUE(store.Delete("k"));  // twice: no error
    }

    void DeletesAllOfAUserIncludingLoginAs() const {
        ASSERT_TRUE(store.Create(Make("alice-1", alice)));
        ASSERT_TRUE(store.Create(Make("alice-2", alice)));
        ASSERT_TRUE(store.Create(Make("bob", bob)));
        ASSERT_TRUE(store.Create(Make("admin", admin)));
        app::SessionRecord as_alice = Make("admin-as-alice", alice);
        as_alice.impersonator_id = admin;
        ASSERT_TRUE(store.Create(as_alice));
        app::SessionRecord as_bob = Make("admin-as-bob", bob);
        as_bob.impersonator_id = admin;
        ASSERT_TRUE(store.Create(as_bob));

        ASSERT_TRUE(store.DeleteAllOf(alice));
        EXPECT_FALSE(Exists("alice-1"));
        EXPECT_FALSE(Exists("alice-2"));
        EXPECT_FALSE(Exists("admin-as-alice"));
        EXPECT_TRUE(Exists("bob"));
        EXPECT_TRUE(Exists("admin"));
        EXPECT_TRUE(Exists("admin-as-bob"));

        // The admin's browsers: their own session and the one acting as bob.
        ASSERT_TRUE(store.DeleteAllOf(admin));
        EXPECT_FALSE(Exists("admin"));
        EXPECT_FALSE(Exists("admin-as-bob"));
        EXPECT_TRUE(Exists("bob"));
        EXPECT_TRUE(store.DeleteAllOf(admin + 100));
    }
};

}  // namespace rqwatch::testing
