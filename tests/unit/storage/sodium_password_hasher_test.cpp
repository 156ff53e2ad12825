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

// Hashes of users taken over from the old system (PHP password_hash writes
// $2y$; made with Python's crypt module, i.e. libxcrypt, cost 4).
TEST(SodiumPasswordHasherTest, VerifiesTakenOverBcryptAndYescrypt) {
    SodiumPasswordHasher hasher;
    const std::string bcrypt = "$2y$04$quFLlVKuvPMDuEQRGURLneNBXg5vGydl6d7iJFTftsxg9FVkrsUqC";
    EXPECT_TRUE(hasher.Verify("Secret-1", bcrypt));
    EXPECT_FALSE(hasher.Verify("Secret-2", bcrypt));
    EXPECT_FALSE(hasher.Verify("", bcrypt));
    EXPECT_FALSE(hasher.Verify(std::string("Secret-1\0x", 10), bcrypt));
    EXPECT_FALSE(hasher.Verify("Secret-1", bcrypt.substr(0, 40)));
    const std::string yescrypt =
        "$y$j9T$abcdefghijklmnop$POnmaTbJTbmC9nENNitWLiQtCdDT2t.IeMsg04dOhd8";
    EXPECT_TRUE(hasher.Verify("Secret-1", yescrypt));
    EXPECT_FALSE(hasher.Verify("secret-1", yescrypt));
    // Other crypt(3) methods (DES, MD5) are not taken over.
    EXPECT_FALSE(hasher.Verify("pw", "$1$saltsalt$qjXMvOEsdXS3Ce0Fzzrgk."));
    EXPECT_FALSE(hasher.Verify("pw", "abJnggxhB/yWI"));
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
