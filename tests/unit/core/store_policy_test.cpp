#include "core/store_policy.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rqwatch {
namespace {

StorePolicy DefaultPolicy() {
    StorePolicy p;
    // The configuration defaults (config/config.hpp StoreConfig).
    p.actions = {"reject", "discard", "add header", "rewrite subject"};
    return p;
}

Symbol Sym(std::string name, std::string group, std::vector<std::string> groups = {},
           std::vector<std::string> options = {}) {
    Symbol s;
    s.name = std::move(name);
    s.group = std::move(group);
    s.groups = std::move(groups);
    s.options = std::move(options);
    return s;
}

TEST(StorePolicyTest, DefaultActionsStored) {
    const StorePolicy p = DefaultPolicy();
    for (const char* a : {"reject", "discard", "add header", "rewrite subject"}) {
        const StoreDecision d = DecideStore(p, a, {});
        EXPECT_TRUE(d.store) << a;
        EXPECT_FALSE(d.has_virus) << a;
        EXPECT_EQ(d.virus, "") << a;
    }
}

TEST(StorePolicyTest, DefaultActionsNotStored) {
    const StorePolicy p = DefaultPolicy();
    for (const char* a : {"no action", "greylist", "soft reject"}) {
        EXPECT_FALSE(DecideStore(p, a, {}).store) << a;
    }
}

TEST(StorePolicyTest, KnownActions) {
    for (const char* a : {"no action", "greylist", "add header", "rewrite subject", "soft reject",
                          "reject", "discard"}) {
        EXPECT_TRUE(IsKnownAction(a)) << a;
    }
    EXPECT_FALSE(IsKnownAction("quarantine"));
    EXPECT_FALSE(IsKnownAction("Reject"));
    EXPECT_FALSE(IsKnownAction("add_header"));
    EXPECT_FALSE(IsKnownAction(""));
}

TEST(StorePolicyTest, VirusByGroupStoredEvenForNoAction) {
    const StorePolicy p = DefaultPolicy();
    const std::vector<Symbol> syms{
        Sym("DATE_IN_PAST", "headers", {"headers"}, {"9042"}),
        Sym("CLAM_VIRUS", "antivirus", {}, {"Eicar-Signature", "second"})};
    const StoreDecision d = DecideStore(p, "no action", syms);
    EXPECT_TRUE(d.store);
    EXPECT_TRUE(d.has_virus);
    EXPECT_EQ(d.virus, "Eicar-Signature");
}

TEST(StorePolicyTest, VirusByGroupsListWithoutOptionsUsesSymbolName) {
    const StorePolicy p = DefaultPolicy();
    const std::vector<Symbol> syms{Sym("MY_AV", "custom", {"custom", "antivirus"})};
    const StoreDecision d = DecideStore(p, "greylist", syms);
    EXPECT_TRUE(d.store);
    EXPECT_TRUE(d.has_virus);
    EXPECT_EQ(d.virus, "MY_AV");
}

TEST(StorePolicyTest, FirstVirusSymbolWins) {
    const StorePolicy p = DefaultPolicy();
    const std::vector<Symbol> syms{Sym("AV_ONE", "antivirus", {}, {"Virus.One"}),
                                   Sym("AV_TWO", "antivirus", {}, {"Virus.Two"})};
    EXPECT_EQ(DecideStore(p, "no action", syms).virus, "Virus.One");
}

TEST(StorePolicyTest, NonVirusGroupsDoNotCount) {
    const StorePolicy p = DefaultPolicy();
    const std::vector<Symbol> syms{Sym("R_MIXED_CHARSET", "mime", {"mime", "headers"}, {"x"}),
                                   Sym("ANTIVIRUS_LIKE", "antivirus_extra")};
    const StoreDecision d = DecideStore(p, "no action", syms);
    EXPECT_FALSE(d.store);
    EXPECT_FALSE(d.has_virus);
    EXPECT_EQ(d.virus, "");
}

TEST(StorePolicyTest, VirusesOffStillReportsVirusButDoesNotForceStore) {
    StorePolicy p = DefaultPolicy();
    p.viruses = false;
    const std::vector<Symbol> syms{Sym("CLAM_VIRUS", "antivirus", {}, {"Eicar"})};
    const StoreDecision d = DecideStore(p, "no action", syms);
    EXPECT_FALSE(d.store);
    EXPECT_TRUE(d.has_virus);
    EXPECT_EQ(d.virus, "Eicar");
    EXPECT_TRUE(DecideStore(p, "reject", syms).store);
}

TEST(StorePolicyTest, CustomVirusGroups) {
    StorePolicy p = DefaultPolicy();
    p.virus_groups = {"av", "malware"};
    EXPECT_FALSE(DecideStore(p, "no action", {Sym("CLAM", "antivirus")}).store);
    EXPECT_TRUE(DecideStore(p, "no action", {Sym("M", "", {"malware"})}).store);
}

TEST(StorePolicyTest, UnknownActionStoredIffUnknownActions) {
    StorePolicy p = DefaultPolicy();
    EXPECT_TRUE(DecideStore(p, "quarantine", {}).store);
    p.unknown_actions = false;
    EXPECT_FALSE(DecideStore(p, "quarantine", {}).store);
    // Known actions are unaffected by the flag.
    EXPECT_TRUE(DecideStore(p, "reject", {}).store);
    EXPECT_FALSE(DecideStore(p, "no action", {}).store);
}

TEST(StorePolicyTest, EmptyActionListStoresNothingKnown) {
    StorePolicy p;  // actions empty
    EXPECT_FALSE(DecideStore(p, "reject", {}).store);
    EXPECT_TRUE(DecideStore(p, "custom", {}).store);
}

}  // namespace
}  // namespace rqwatch
