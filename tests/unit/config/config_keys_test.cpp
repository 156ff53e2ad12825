#include "config/config_keys.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "config/load_config.hpp"

namespace rqwatch::config {
namespace {

using ::testing::HasSubstr;

const std::string kDocsPath = std::string(RQWATCH_FIXTURES) + "/../../docs/configuration.md";
const std::string kExamplePath =
    std::string(RQWATCH_FIXTURES) + "/../../packaging/rqwatch.example.toml";

std::optional<std::string> ReadText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool IsKeyChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

std::string_view TrimLeft(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

// Dotted paths of every key assignment in a TOML file, commented-out ones
// ("# password_env = ...") included: "[server]" + "listen = ..." -> "server.listen".
std::set<std::string> KeysInToml(const std::string& text) {
    std::set<std::string> keys;
    std::string section;
    std::istringstream lines(text);
    std::string raw;
    while (std::getline(lines, raw)) {
        std::string_view line = TrimLeft(raw);
        if (!line.empty() && line.front() == '[') {
            const auto close = line.find(']');
            if (close != std::string_view::npos)
                section = std::string(TrimLeft(line.substr(1, close - 1)));
            while (!section.empty() && section.back() == ' ') section.pop_back();
            continue;
        }
        if (!line.empty() && line.front() == '#') line = TrimLeft(line.substr(1));
        std::size_t n = 0;
        while (n < line.size() && IsKeyChar(line[n])) ++n;
        if (n == 0) continue;
        const std::string_view rest = TrimLeft(line.substr(n));
        if (rest.empty() || rest.front() != '=') continue;
        const std::string key(line.substr(0, n));
        keys.insert(section.empty() ? key : section + "." + key);
    }
    return keys;
}

TEST(ConfigKeysTest, PathsAreUniqueAndDocumented) {
    std::set<std::string> seen;
    for (const auto& k : ConfigKeys()) {
        EXPECT_TRUE(seen.insert(k.path).second) << "duplicate key " << k.path;
        EXPECT_FALSE(k.doc.empty()) << k.path;
    }
    EXPECT_TRUE(seen.contains("server.listen"));
    EXPECT_TRUE(seen.contains("ingest.password"));
}

TEST(ConfigKeysTest, OnlyPasswordsKeysAndTheServerUrlsAreSecret) {
    for (const auto& k : ConfigKeys()) {
        EXPECT_EQ(k.secret, k.path == "ingest.password" || k.path == "database.url" ||
                                k.path == "ldap.bind_password" || k.path == "redis.url" ||
                                k.path == "redis.password" || k.path == "redis.sentinel_password" ||
                                k.path == "auth.oidc.client_secret" ||
                                k.path == "auth.oidc.state_key" || k.path == "node_api.secret" ||
                                k.path == "release.password" || k.path == "rspamd.password" ||
                                k.path == "maps.reader_password" ||
                                k.path == "notify.token_secret")
            << k.path;
    }
}

TEST(ConfigKeysTest, DefaultAsToml) {
    std::map<std::string, std::string> defaults;
    for (const auto& k : ConfigKeys()) defaults[k.path] = DefaultAsToml(k);
    EXPECT_EQ(defaults["server.listen"], "\"127.0.0.1:8480\"");
    EXPECT_EQ(defaults["server.max_header_bytes"], "262144");
    EXPECT_EQ(defaults["spool.fsync"], "true");
    EXPECT_EQ(defaults["database.url"], "\"\"");
    EXPECT_EQ(defaults["ingest.allow_from"], "[\"127.0.0.0/8\", \"::1/128\"]");
    EXPECT_EQ(defaults["store.virus_groups"], "[\"antivirus\"]");
}

TEST(ConfigKeysTest, ReferenceMarkdownHasARowPerKey) {
    const std::string md = RenderReferenceMarkdown();
    EXPECT_EQ(md.rfind("| key | default | meaning |\n|---|---|---|\n", 0), 0u);
    for (const auto& k : ConfigKeys())
        EXPECT_THAT(md, HasSubstr("| `" + k.path + "` | ")) << k.path;
    EXPECT_THAT(md, HasSubstr("Range 65536–16777216."));
    EXPECT_THAT(md, HasSubstr("Range 1–∞."));
    EXPECT_THAT(md, HasSubstr("`ingest.password_env`"));
    EXPECT_THAT(md, HasSubstr("One of: `trace` `debug` `info` `warn` `error`."));
}

// Every key must be documented in docs/configuration.md.
TEST(ConfigKeysTest, EveryKeyInConfigurationDoc) {
    const auto text = ReadText(kDocsPath);
    ASSERT_TRUE(text.has_value()) << "cannot read " << kDocsPath;
    std::string missing;
    for (const auto& k : ConfigKeys()) {
        if (text->find("`" + k.path + "`") == std::string::npos) missing += " " + k.path;
    }
    EXPECT_TRUE(missing.empty()) << kDocsPath << " does not mention (as `key`):" << missing;
}

// Every key must appear (set or commented out) in packaging/rqwatch.example.toml.
TEST(ConfigKeysTest, EveryKeyInExampleToml) {
    const auto text = ReadText(kExamplePath);
    ASSERT_TRUE(text.has_value()) << "cannot read " << kExamplePath;
    const std::set<std::string> keys = KeysInToml(*text);
    std::string missing;
    for (const auto& k : ConfigKeys()) {
        if (!keys.contains(k.path)) missing += " " + k.path;
    }
    EXPECT_TRUE(missing.empty()) << kExamplePath << " lacks the keys:" << missing;
}

// The example file is itself a valid configuration holding the defaults.
TEST(ConfigKeysTest, ExampleTomlLoadsCleanly) {
    ASSERT_TRUE(ReadText(kExamplePath).has_value()) << "cannot read " << kExamplePath;
    const LoadOutcome out =
        LoadConfig(kExamplePath,
                   [](const std::string&) -> std::optional<std::string> { return std::nullopt; });
    std::string errors;
    for (const auto& e : out.errors) errors += e + "\n";
    ASSERT_TRUE(out.Ok()) << errors;
    const Config defaults;
    EXPECT_EQ(out.config.server.listen, defaults.server.listen);
    EXPECT_EQ(out.config.server.max_header_bytes, defaults.server.max_header_bytes);
    EXPECT_EQ(out.config.store.actions, defaults.store.actions);
    EXPECT_EQ(out.config.ingest.allow_from, defaults.ingest.allow_from);
}

TEST(ConfigKeysTest, KeysInTomlHelper) {
    const auto keys = KeysInToml(
        "a = 1\n[server] # c\nlisten = \"x\"\n  # password_env = \"V\"\n[log]\nlevel=\"i\"\n");
    EXPECT_EQ(keys,
              (std::set<std::string>{"a", "server.listen", "server.password_env", "log.level"}));
}

}  // namespace
}  // namespace rqwatch::config
