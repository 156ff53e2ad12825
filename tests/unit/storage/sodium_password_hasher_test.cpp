#include "storage/sodium_password_hasher.hpp"

#include <gtest/gtest.h>

namespace rqwatch::storage {
namespace {

TEST(SodiumPasswordHasherTest, HashesAndVerifies) {
    SodiumPasswordHasher hasher;
    auto hash = hasher.Hash("correct horse battery staple");
    ASSERT_TRUE(hash) << hash.error().detail;
    EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
    EXPECT_TRUE(hasher.Verify("correct horse battery staple", *hash));
    EXPECT_FALSE(hasher.Verify("correct horse battery stapler", *hash));
    EXPECT_FALSE(hasher.Verify("", *hash));
}

TEST(SodiumPasswordHasherTest, SaltsEveryHash) {
    SodiumPasswordHasher hasher;
    auto a = hasher.Hash("pw");
    auto b = hasher.Hash("pw");
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
    EXPECT_TRUE(hasher.Verify("pw", *a));
    EXPECT_TRUE(hasher.Verify("pw", *b));
}

TEST(SodiumPasswordHasherTest, HandlesUnusualPasswords) {
    SodiumPasswordHasher hasher;
    const std::string with_nul("a\0b", 3);
    auto hash = hasher.Hash(with_nul);
    ASSERT_TRUE(hash);
    EXPECT_TRUE(hasher.Verify(with_nul, *hash));
    EXPECT_FALSE(hasher.Verify("a", *hash));  // the NUL does not truncate

    auto empty = hasher.Hash("");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(hasher.Verify("", *empty));
}

TEST(SodiumPasswordHasherTest, GarbageHashNeverVerifies) {
    SodiumPasswordHasher hasher;
    EXPECT_FALSE(hasher.Verify("pw", ""));
    EXPECT_FALSE(hasher.Verify("pw", "not a hash"));
    EXPECT_FALSE(hasher.Verify("pw", "$argon2id$v=19$m=65536,t=2,p=1$garbage"));
    EXPECT_FALSE(hasher.Verify("pw", std::string(500, '$')));
    auto hash = hasher.Hash("pw");
    ASSERT_TRUE(hash);
    std::string truncated = hash->substr(0, hash->size() - 5);
    EXPECT_FALSE(hasher.Verify("pw", truncated));
}

}  // namespace
}  // namespace rqwatch::storage
