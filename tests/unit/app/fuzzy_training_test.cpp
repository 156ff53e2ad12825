// Which fuzzy request a learn makes (app/fuzzy_training.hpp), and what is
// recorded of it.

#include "app/fuzzy_training.hpp"

#include <gtest/gtest.h>

namespace rqwatch::app {
namespace {

TEST(FuzzyTrainingTest, SpamAddsHamDeletesWithTheConfiguredFlag) {
    FuzzyResult skipped;
    auto add = FuzzyRequestFor({.flag = 11, .weight = 3}, true, true, skipped);
    ASSERT_TRUE(add);
    EXPECT_TRUE(add->add);
    EXPECT_EQ(add->flag, 11);
    EXPECT_EQ(add->weight, 3);
    EXPECT_EQ(skipped.status, "");
    auto del = FuzzyRequestFor({.flag = 11}, false, true, skipped);
    ASSERT_TRUE(del);
    EXPECT_FALSE(del->add);
    EXPECT_EQ(del->flag, 11);
}

TEST(FuzzyTrainingTest, SkipsSayWhy) {
    struct Case {
        FuzzyTraining training;
        bool spam;
        bool bayes_ok;
        const char* why;
    };
    for (const Case& c : {Case{{}, true, true, "fuzzy learning is off"},
                          Case{{.flag = -1}, true, true, "fuzzy learning is off"},
                          Case{{.flag = 1, .add_on_spam = false}, true, true,
                               "fuzzy_on_spam is off"},
                          Case{{.flag = 1, .delete_on_ham = false}, false, true,
                               "fuzzy_del_on_ham is off"},
                          Case{{.flag = 1}, false, false, "not tried: Bayes learning failed"}}) {
        FuzzyResult skipped;
        EXPECT_FALSE(FuzzyRequestFor(c.training, c.spam, c.bayes_ok, skipped)) << c.why;
        EXPECT_EQ(skipped.status, "skipped");
        EXPECT_EQ(skipped.message, c.why);
    }
    // Turning only the other direction off does not skip this one.
    FuzzyResult skipped;
    EXPECT_TRUE(FuzzyRequestFor({.flag = 1, .delete_on_ham = false}, true, true, skipped));
    EXPECT_TRUE(FuzzyRequestFor({.flag = 1, .add_on_spam = false}, false, true, skipped));
}

TEST(FuzzyTrainingTest, ResultsOfSentRequests) {
    const FuzzyRequest add{true, 2, 10}, del{false, 2, 10};
    EXPECT_EQ(FuzzyResultOf(add, {}).status, "ok");
    EXPECT_EQ(FuzzyResultOf(add, {}).message, "added to flag 2 (weight 10)");
    EXPECT_EQ(FuzzyResultOf(del, {}).message, "deleted from flag 2");
    const Result<void> failed = Fail(ErrorCode::kUnavailable, "refused", "404 from x");
    EXPECT_EQ(FuzzyResultOf(del, failed).status, "failed");
    EXPECT_EQ(FuzzyResultOf(del, failed).message, "refused");
}

}  // namespace
}  // namespace rqwatch::app
