#include "config/load_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "config/config_keys.hpp"
#include "temp_dir.hpp"

namespace rqwatch::config {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it.
using testing::TempDir;

// An environment with exactly the given variables.
EnvLookup FakeEnv(std::map<std::string, std::string> vars = {}) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

std::string JoinErrors(const LoadOutcome& out) {
    std::string s;
    for (const auto& e : out.errors) s += e + "\n";
    return s;
}

// The number of errors that mention `needle`.
int CountErrors(const LoadOutcome& out, const std::string& needle) {
    return static_cast<int>(
        std::count_if(out.errors.begin(), out.errors.end(),
                      [&](const std::string& e) { return e.find(needle) != std::string::npos; }));
}

TEST(LoadConfigTest, NoFileGivesValidDefaults) {
    const LoadOutcome out = LoadConfig(std::nullopt, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_TRUE(out.files.empty());
    const Config& c = out.config;
    EXPECT_EQ(c.server.listen, "127.0.0.1:8480");
    EXPECT_EQ(c.listen_host, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 8480);
    EXPECT_EQ(c.server.io_threads, 2);
    EXPECT_EQ(c.server.max_header_bytes, 262144);
    EXPECT_EQ(c.server.max_body_bytes, 52428800);
    EXPECT_TRUE(c.spool.fsync);
    EXPECT_EQ(c.spool.min_free_mb, 100);
    EXPECT_EQ(c.log.level, "info");

    const std::string cwd = fs::current_path().string();
    EXPECT_EQ(c.config_dir, cwd);
    EXPECT_EQ(c.data_dir, cwd + "/data");
    EXPECT_EQ(c.database.url, "sqlite:" + cwd + "/data/rqwatch.db");
    EXPECT_EQ(c.spool.dir, cwd + "/data/spool");
    EXPECT_EQ(c.quarantine.dir, cwd + "/data/quarantine");

    ASSERT_EQ(c.ingest_allow.size(), 2u);
    EXPECT_EQ(c.ingest_allow[0].prefix, 104);  // 127.0.0.0/8
    EXPECT_EQ(c.ingest_allow[1].prefix, 128);  // ::1/128
    EXPECT_FALSE(c.ingest.node_name.empty());  // the host name
    EXPECT_EQ(c.store.actions,
              (std::vector<std::string>{"reject", "discard", "add header", "rewrite subject"}));
}

TEST(LoadConfigTest, FullValidFile) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", R"(
data_dir = "/srv/rqwatch"

[server]
listen = "0.0.0.0:9090"
io_threads = 4
worker_threads = 8
read_timeout_seconds = 10
write_timeout_seconds = 11
idle_timeout_seconds = 12
max_header_bytes = 65536
max_body_bytes = 1048576
max_connections = 50
access_log = false

[database]
url = "sqlite:/srv/db/mails.db"
pool_size = 3

[spool]
dir = "/srv/spool"
fsync = false
min_free_mb = 0

[quarantine]
dir = "/srv/q"

[ingest]
enabled = false
username = "rspamd"
password = "s3cret"
allow_from = ["192.0.2.0/24", "2001:db8:25::/48", "198.51.100.7"]
node_name = "mx1"

[store]
actions = ["reject", "no action"]
viruses = false
virus_groups = ["antivirus", "malware"]
unknown_actions = false

[importer]
batch_size = 500
poll_interval_ms = 250
retry_interval_seconds = 9

[log]
level = "debug"
)");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    ASSERT_EQ(out.files, std::vector<std::string>{path});
    const Config& c = out.config;
    EXPECT_EQ(c.config_dir, dir.path());
    EXPECT_EQ(c.data_dir, "/srv/rqwatch");
    EXPECT_EQ(c.server.listen, "0.0.0.0:9090");
    EXPECT_EQ(c.listen_host, "0.0.0.0");
    EXPECT_EQ(c.listen_port, 9090);
    EXPECT_EQ(c.server.io_threads, 4);
    EXPECT_EQ(c.server.worker_threads, 8);
    EXPECT_EQ(c.server.read_timeout_seconds, 10);
    EXPECT_EQ(c.server.write_timeout_seconds, 11);
    EXPECT_EQ(c.server.idle_timeout_seconds, 12);
    EXPECT_EQ(c.server.max_header_bytes, 65536);
    EXPECT_EQ(c.server.max_body_bytes, 1048576);
    EXPECT_EQ(c.server.max_connections, 50);
    EXPECT_FALSE(c.server.access_log);
    EXPECT_EQ(c.database.url, "sqlite:/srv/db/mails.db");
    EXPECT_EQ(c.database.pool_size, 3);
    EXPECT_EQ(c.spool.dir, "/srv/spool");
    EXPECT_FALSE(c.spool.fsync);
    EXPECT_EQ(c.spool.min_free_mb, 0);
    EXPECT_EQ(c.quarantine.dir, "/srv/q");
    EXPECT_FALSE(c.ingest.enabled);
    EXPECT_EQ(c.ingest.username, "rspamd");
    EXPECT_EQ(c.ingest.password, "s3cret");
    EXPECT_EQ(c.ingest.allow_from.size(), 3u);
    ASSERT_EQ(c.ingest_allow.size(), 3u);
    EXPECT_EQ(c.ingest_allow[0].prefix, 96 + 24);
    EXPECT_EQ(c.ingest_allow[1].prefix, 48);
    EXPECT_EQ(c.ingest_allow[2].prefix, 128);
    EXPECT_EQ(c.ingest.node_name, "mx1");
    EXPECT_EQ(c.store.actions, (std::vector<std::string>{"reject", "no action"}));
    EXPECT_FALSE(c.store.viruses);
    EXPECT_EQ(c.store.virus_groups, (std::vector<std::string>{"antivirus", "malware"}));
    EXPECT_FALSE(c.store.unknown_actions);
    EXPECT_EQ(c.importer.batch_size, 500);
    EXPECT_EQ(c.importer.poll_interval_ms, 250);
    EXPECT_EQ(c.importer.retry_interval_seconds, 9);
    EXPECT_EQ(c.log.level, "debug");
}

TEST(LoadConfigTest, EmptyFileGivesDefaultsRelativeToFile) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "# nothing\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.data_dir, dir.path() + "/data");
    EXPECT_EQ(out.config.spool.dir, dir.path() + "/data/spool");
    EXPECT_EQ(out.config.listen_port, 8480);
}

TEST(LoadConfigTest, UnknownTopLevelKeyIsNamed) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "datadir = \"x\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(out.errors[0], path + ": datadir: unknown key");
}

TEST(LoadConfigTest, UnknownNestedKeyIsNamed) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[server]\nlisen = \"127.0.0.1:1\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(out.errors[0], path + ": server.lisen: unknown key");
    // The misspelt key did not change the real one.
    EXPECT_EQ(out.config.server.listen, "127.0.0.1:8480");
}

TEST(LoadConfigTest, UnknownSectionIsAnError) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[sever]\nlisten = \"127.0.0.1:1\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_THAT(out.errors[0], HasSubstr("sever.listen: unknown key"));
}

TEST(LoadConfigTest, EveryErrorIsReported) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", R"(
[server]
lisen = "127.0.0.1:8480"
listen = "localhost:8480"
max_body_bytes = 0

[ingest]
allow_from = ["127.0.0.0/8", "10.0.0.0/33"]

[store]
actions = ["reject", "add_header"]
)");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_FALSE(out.Ok());
    EXPECT_EQ(out.errors.size(), 5u) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "server.lisen: unknown key"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "server.listen: \"localhost:8480\""), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "server.max_body_bytes: must be between 1 and"), 1)
        << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "ingest.allow_from: \"10.0.0.0/33\""), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "store.actions: \"add_header\" is not one of"), 1)
        << JoinErrors(out);
    for (const auto& e : out.errors) EXPECT_EQ(e.rfind(path + ": ", 0), 0u) << e;
}

TEST(LoadConfigTest, TypeErrors) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", R"(
data_dir = 5
[server]
io_threads = "4"
access_log = "yes"
[ingest]
allow_from = "127.0.0.1"
[store]
actions = ["reject", 3]
)");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(out.errors.size(), 5u) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "data_dir: must be a string"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "server.io_threads: must be an integer"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "server.access_log: must be true or false"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "ingest.allow_from: must be an array of strings"), 1)
        << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "store.actions: must be an array of strings"), 1) << JoinErrors(out);
    // Values of the wrong type are not applied.
    EXPECT_EQ(out.config.server.io_threads, 2);
    EXPECT_TRUE(out.config.server.access_log);
}

TEST(LoadConfigTest, FloatForIntegerIsATypeError) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[importer]\nbatch_size = 1.5\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_THAT(out.errors[0], HasSubstr("importer.batch_size: must be an integer"));
}

TEST(LoadConfigTest, MaxHeaderBytesBelow64KiBRejected) {
    TempDir dir;
    const std::string low = dir.Write("low.toml", "[server]\nmax_header_bytes = 65535\n");
    const LoadOutcome bad = LoadConfig(low, FakeEnv());
    ASSERT_EQ(bad.errors.size(), 1u) << JoinErrors(bad);
    EXPECT_EQ(bad.errors[0],
              low + ": server.max_header_bytes: must be between 65536 and 16777216 (got 65535)");
    EXPECT_EQ(bad.config.server.max_header_bytes, 262144);

    const std::string ok = dir.Write("ok.toml", "[server]\nmax_header_bytes = 65536\n");
    const LoadOutcome good = LoadConfig(ok, FakeEnv());
    ASSERT_TRUE(good.Ok()) << JoinErrors(good);
    EXPECT_EQ(good.config.server.max_header_bytes, 65536);
}

TEST(LoadConfigTest, RangeBoundsOfOtherKeys) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", R"(
[server]
io_threads = 65
[database]
pool_size = 1
[importer]
batch_size = 10001
poll_interval_ms = 9
)");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(out.errors.size(), 4u) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "server.io_threads: must be between 1 and 64 (got 65)"), 1);
    EXPECT_EQ(CountErrors(out, "database.pool_size: must be between 2 and 256 (got 1)"), 1);
    EXPECT_EQ(CountErrors(out, "importer.batch_size: must be between 1 and 10000 (got 10001)"), 1);
    EXPECT_EQ(CountErrors(out, "importer.poll_interval_ms: must be between 10 and 60000 (got 9)"),
              1);
}

TEST(LoadConfigTest, ChoiceKeys) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[log]\nlevel = \"verbose\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out,
                          "log.level: \"verbose\" is not one of \"trace\", \"debug\", \"info\", "
                          "\"warn\", \"error\""),
              1)
        << JoinErrors(out);
}

// A wrong database URL is a config error (check-config reports it) and never
// shows the password.
TEST(LoadConfigTest, DatabaseUrlIsValidated) {
    TempDir dir;
    for (const auto& [url, error] : std::vector<std::pair<std::string, std::string>>{
             {"oracle://scott:tiger@db/orcl",
              "database URL must start with sqlite:, postgresql:// or mysql://"},
             {"mysql://u:tiger@db", "mysql URL must name one database"},
             {"mysql://u:tiger@db/x?sslmode=on", "mysql URL: unknown option \"sslmode\""},
             {"sqlite:", "sqlite URL has no file path"},
         }) {
        const std::string path = dir.Write("rqwatch.toml", "[database]\nurl = \"" + url + "\"\n");
        const LoadOutcome out = LoadConfig(path, FakeEnv());
        ASSERT_EQ(out.errors.size(), 1u) << url << ": " << JoinErrors(out);
        EXPECT_NE(out.errors[0].find("database.url: " + error), std::string::npos) << out.errors[0];
        EXPECT_EQ(out.errors[0].find("tiger"), std::string::npos) << out.errors[0];
    }
}

// The URL is a secret: it can come from the environment, password and all.
TEST(LoadConfigTest, DatabaseUrlFromEnvironment) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[database]\nurl_env = \"RQW_DB\"\n");
    const LoadOutcome out =
        LoadConfig(path, FakeEnv({{"RQW_DB", "postgresql://rq:s3cret@db.example:5432/rqwatch"}}));
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.database.url, "postgresql://rq:s3cret@db.example:5432/rqwatch");
}

TEST(LoadConfigTest, PasswordFromEnvironment) {
    TempDir dir;
    const std::string path = dir.Write(
        "rqwatch.toml", "[ingest]\nusername = \"rspamd\"\npassword_env = \"RQW_TEST_PASS\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv({{"RQW_TEST_PASS", "from-env"}}));
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.ingest.username, "rspamd");
    EXPECT_EQ(out.config.ingest.password, "from-env");
}

TEST(LoadConfigTest, PasswordEnvUnset) {
    TempDir dir;
    const std::string path = dir.Write(
        "rqwatch.toml", "[ingest]\nusername = \"rspamd\"\npassword_env = \"RQW_TEST_PASS\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv({{"OTHER", "x"}}));
    EXPECT_EQ(
        CountErrors(out, "ingest.password_env: environment variable RQW_TEST_PASS is not set"), 1)
        << JoinErrors(out);
    EXPECT_EQ(out.config.ingest.password, "");
}

TEST(LoadConfigTest, PasswordEnvMustBeANonEmptyString) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[ingest]\npassword_env = \"\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(CountErrors(out, "ingest.password_env: must be a non-empty string"), 1)
        << JoinErrors(out);
}

TEST(LoadConfigTest, SecretSuffixOnlyForSecretKeys) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[ingest]\nusername_env = \"USER\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv({{"USER", "x"}}));
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_THAT(out.errors[0], HasSubstr("ingest.username_env: unknown key"));
    EXPECT_EQ(out.config.ingest.username, "");
}

TEST(LoadConfigTest, PasswordFromFileWithTrailingNewlineRemoved) {
    TempDir dir;
    const std::string secret = dir.Write("secret/ingest.pass", "s3cr3t:with colon\r\n\n");
    const std::string path = dir.Write(
        "rqwatch.toml", "[ingest]\nusername = \"rspamd\"\npassword_file = \"" + secret + "\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.ingest.password, "s3cr3t:with colon");
}

TEST(LoadConfigTest, PasswordFileMissing) {
    TempDir dir;
    const std::string path =
        dir.Write("rqwatch.toml", "[ingest]\nusername = \"rspamd\"\npassword_file = \"" +
                                      dir.path() + "/nope.pass\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(CountErrors(out, "ingest.password_file: cannot read " + dir.path() + "/nope.pass"), 1)
        << JoinErrors(out);
}

// Regression test of a fixed bug; before the fix (src/config/load_config.cpp,
// Loader::ApplySecretIndirection): a relative `password_file` is opened relative to the process's
// working directory, not the config file's directory, although docs/configuration.md says "Relative
// paths are resolved against the directory of the config file" (data_dir,
// database.path, spool.dir and quarantine.dir are).
TEST(LoadConfigTest, RelativePasswordFileResolvedAgainstConfigDir) {
    TempDir dir;
    dir.Write("ingest.pass", "relpass\n");
    const std::string path = dir.Write(
        "rqwatch.toml", "[ingest]\nusername = \"rspamd\"\npassword_file = \"ingest.pass\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.ingest.password, "relpass");
}

TEST(LoadConfigTest, UsernameWithoutPasswordIsAnError) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[ingest]\nusername = \"rspamd\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(out.errors[0],
              path + ": ingest.username: set both ingest.username and ingest.password, or neither");
}

TEST(LoadConfigTest, PasswordWithoutUsernameIsAnError) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[ingest]\npassword = \"x\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "set both ingest.username and ingest.password"), 1);
}

TEST(LoadConfigTest, ReleaseAndRspamdSettings) {
    TempDir dir;
    const std::string path = dir.Write(
        "rqwatch.toml",
        "[release]\nsmtp_host = \"mail.example.org\"\nfrom = \"q@example.org\"\n"
        "password_env = \"SMTP_PW\"\nbypass_header = \"X-Bypass: 1\"\n"
        "[rspamd]\ncontrollers = [\"mx1=http://10.0.0.5:11334/\", \"*=https://r.example\"]\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv({{"SMTP_PW", "pw"}}));
    ASSERT_TRUE(out.errors.empty()) << JoinErrors(out);
    EXPECT_EQ(out.config.release.password, "pw");
    EXPECT_EQ(out.config.release.starttls, "required");
    EXPECT_EQ(out.config.rspamd_controllers,
              (std::map<std::string, std::string>{{"mx1", "http://10.0.0.5:11334"},
                                                  {"*", "https://r.example"}}));
}

TEST(LoadConfigTest, ReleaseAndRspamdSettingsAreValidated) {
    TempDir dir;
    const std::string path = dir.Write(
        "rqwatch.toml",
        "[release]\nsmtp_host = \"mail.example.org\"\nstarttls = \"maybe\"\n"
        "bypass_header = \"X-Bypass\\r\\nBcc: x@example.org\"\nhelo_name = \"a b\"\n"
        "[rspamd]\ncontrollers = [\"http://no-name:11334\", \"x=ftp://h\", "
        "\"y=http://h/?q\"]\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(CountErrors(out, "release.from: must be a plain address"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "release.starttls"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "release.bypass_header: must be one header line"), 1)
        << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "release.helo_name"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "rspamd.controllers"), 3) << JoinErrors(out);
}

TEST(LoadConfigTest, FuzzyLearningSettings) {
    TempDir dir;
    const LoadOutcome defaults = LoadConfig(dir.Write("a.toml", ""), FakeEnv());
    ASSERT_TRUE(defaults.errors.empty()) << JoinErrors(defaults);
    EXPECT_EQ(defaults.config.rspamd.fuzzy_flag, 0);  // off
    EXPECT_EQ(defaults.config.rspamd.fuzzy_weight, 10);
    EXPECT_TRUE(defaults.config.rspamd.fuzzy_on_spam);
    EXPECT_TRUE(defaults.config.rspamd.fuzzy_del_on_ham);
    const LoadOutcome on = LoadConfig(
        dir.Write("b.toml",
                  "[rspamd]\ncontrollers = [\"*=http://127.0.0.1:11334\"]\nfuzzy_flag = 11\n"
                  "fuzzy_weight = 3\nfuzzy_del_on_ham = false\n"),
        FakeEnv());
    ASSERT_TRUE(on.errors.empty()) << JoinErrors(on);
    EXPECT_EQ(on.config.rspamd.fuzzy_flag, 11);
    EXPECT_EQ(on.config.rspamd.fuzzy_weight, 3);
    EXPECT_FALSE(on.config.rspamd.fuzzy_del_on_ham);
    const LoadOutcome bad = LoadConfig(
        dir.Write("c.toml",
                  "[rspamd]\nfuzzy_flag = 1\nfuzzy_weight = 0\nfuzzy_on_spam = \"yes\"\n"),
        FakeEnv());
    EXPECT_EQ(CountErrors(bad, "rspamd.fuzzy_flag: needs rspamd.controllers"), 1)
        << JoinErrors(bad);
    EXPECT_EQ(CountErrors(bad, "rspamd.fuzzy_weight"), 1) << JoinErrors(bad);
    EXPECT_EQ(CountErrors(bad, "rspamd.fuzzy_on_spam"), 1) << JoinErrors(bad);
    const LoadOutcome negative =
        LoadConfig(dir.Write("d.toml",
                             "[rspamd]\ncontrollers = [\"*=http://127.0.0.1:11334\"]\n"
                             "fuzzy_flag = -1\n"),
                   FakeEnv());
    EXPECT_EQ(CountErrors(negative, "rspamd.fuzzy_flag"), 1) << JoinErrors(negative);
}

TEST(LoadConfigTest, NotifySettings) {
    TempDir dir;
    const std::string path = dir.Write(
        "rqwatch.toml",
        "[release]\nsmtp_host = \"mail.example.org\"\nfrom = \"q@example.org\"\n"
        "[notify]\nenabled = true\nfrom = \"quarantine@example.org\"\n"
        "base_url = \"https://q.example.org\"\ntoken_secret_env = \"NOTIFY_SECRET\"\n"
        "max_score = 30\nmax_age_days = 0\nper_message = true\n");
    const LoadOutcome out =
        LoadConfig(path, FakeEnv({{"NOTIFY_SECRET", "0123456789abcdef0123456789abcdef"}}));
    ASSERT_TRUE(out.errors.empty()) << JoinErrors(out);
    EXPECT_TRUE(out.config.notify.enabled);
    EXPECT_EQ(out.config.notify.token_secret, "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(out.config.notify.token_lifetime_hours, 72);
    EXPECT_EQ(out.config.notify.max_score, 30);
    EXPECT_EQ(out.config.notify.max_age_days, 0);
    EXPECT_TRUE(out.config.notify.per_message);
}

TEST(LoadConfigTest, NotifySettingsAreValidated) {
    TempDir dir;
    const std::string path = dir.Write(
        "rqwatch.toml",
        "[notify]\nenabled = true\nfrom = \"a@b>, c@d\"\nbase_url = \"javascript:alert(1)\"\n"
        "token_secret = \"short\"\ntoken_lifetime_hours = 0\nmax_age_days = -1\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    EXPECT_EQ(CountErrors(out, "notify.enabled: needs release.smtp_host"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "notify.from: must be a plain address"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "notify.base_url: must be an http(s):// URL"), 1)
        << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "notify.token_secret: must be at least 32"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "notify.token_lifetime_hours"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "notify.max_age_days"), 1) << JoinErrors(out);
    // Off, nothing else is asked for.
    const std::string off = dir.Write("off.toml", "[notify]\nenabled = false\n");
    EXPECT_TRUE(LoadConfig(off, FakeEnv()).errors.empty());
}

TEST(LoadConfigTest, RetentionDefaultsAndBounds) {
    const LoadOutcome defaults = LoadConfig(std::nullopt, FakeEnv());
    ASSERT_TRUE(defaults.Ok()) << JoinErrors(defaults);
    EXPECT_EQ(defaults.config.retention.quarantine_days, 180);
    EXPECT_EQ(defaults.config.retention.database_days, 366);

    TempDir dir;
    const LoadOutcome out = LoadConfig(
        dir.Write("rqwatch.toml", "[retention]\nquarantine_days = 0\ndatabase_days = 36501\n"),
        FakeEnv());
    EXPECT_EQ(CountErrors(out, "retention.quarantine_days: must be between 1 and 36500 (got 0)"), 1)
        << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "retention.database_days: must be between 1 and 36500 (got 36501)"),
              1)
        << JoinErrors(out);
}

// The old system refused a database purge that would remove rows before
// their files (DATABASE_DAYS must exceed QUARANTINE_DAYS).
TEST(LoadConfigTest, DatabaseDaysMustExceedQuarantineDays) {
    TempDir dir;
    for (const auto& [q, d] : std::vector<std::pair<int, int>>{{180, 180}, {180, 30}}) {
        const std::string path =
            dir.Write("rqwatch.toml", "[retention]\nquarantine_days = " + std::to_string(q) +
                                          "\ndatabase_days = " + std::to_string(d) + "\n");
        const LoadOutcome out = LoadConfig(path, FakeEnv());
        ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
        EXPECT_EQ(out.errors[0], path +
                                     ": retention.database_days: must be greater than "
                                     "retention.quarantine_days (" +
                                     std::to_string(d) + " <= " + std::to_string(q) + ")");
    }
    const LoadOutcome ok = LoadConfig(
        dir.Write("ok.toml", "[retention]\nquarantine_days = 7\ndatabase_days = 8\n"), FakeEnv());
    ASSERT_TRUE(ok.Ok()) << JoinErrors(ok);
    EXPECT_EQ(ok.config.retention.quarantine_days, 7);
    EXPECT_EQ(ok.config.retention.database_days, 8);
}

TEST(LoadConfigTest, LocalOverrideReplacesNestedKeyAndKeepsOthers) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", R"(
[server]
listen = "127.0.0.1:9000"
io_threads = 4
[ingest]
allow_from = ["10.0.0.0/8"]
)");
    const std::string local = dir.Write("rqwatch.local.toml", R"(
[server]
io_threads = 8
[ingest]
username = "rspamd"
password = "local-secret"
)");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.files, (std::vector<std::string>{path, local}));
    EXPECT_EQ(out.config.server.io_threads, 8);
    EXPECT_EQ(out.config.server.listen, "127.0.0.1:9000");
    EXPECT_EQ(out.config.listen_port, 9000);
    EXPECT_EQ(out.config.ingest.allow_from, std::vector<std::string>{"10.0.0.0/8"});
    EXPECT_EQ(out.config.ingest.username, "rspamd");
    EXPECT_EQ(out.config.ingest.password, "local-secret");
}

TEST(LoadConfigTest, LocalOverrideReplacesArraysWhole) {
    TempDir dir;
    const std::string path =
        dir.Write("rqwatch.toml", "[store]\nactions = [\"reject\", \"discard\"]\n");
    dir.Write("rqwatch.local.toml", "[store]\nactions = [\"add header\"]\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.store.actions, std::vector<std::string>{"add header"});
}

TEST(LoadConfigTest, LocalOverrideSyntaxErrorIsReported) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[server]\nio_threads = 4\n");
    const std::string local = dir.Write("rqwatch.local.toml", "[server\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_FALSE(out.Ok());
    EXPECT_EQ(CountErrors(out, local + ":1:"), 1) << JoinErrors(out);
    EXPECT_EQ(out.files, std::vector<std::string>{path});
}

// Regression test of a fixed bug; before the fix (src/config/load_config.cpp, LoadConfig): the
// override is merged into the main table before validation, and Loader::Apply is called with the
// main file as origin, so an error caused by a key in rqwatch.local.toml is reported as
// "<dir>/rqwatch.toml: server.lisen: unknown key" — the user is sent to the wrong file.
TEST(LoadConfigTest, ErrorInLocalOverrideNamesTheOverrideFile) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[server]\nio_threads = 4\n");
    const std::string local =
        dir.Write("rqwatch.local.toml", "[server]\nlisen = \"127.0.0.1:1\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(out.errors[0], local + ": server.lisen: unknown key");
}

TEST(LoadConfigTest, RelativePathsResolvedAgainstConfigDir) {
    TempDir dir;
    const std::string path = dir.Write("etc/rqwatch.toml", R"(
data_dir = "../var/lib/rqwatch"
[database]
url = "sqlite:db/mails.db"
[spool]
dir = "/abs/spool"
)");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.config_dir, dir.path() + "/etc");
    EXPECT_EQ(out.config.data_dir, dir.path() + "/var/lib/rqwatch");
    EXPECT_EQ(out.config.database.url, "sqlite:" + dir.path() + "/etc/db/mails.db");
    EXPECT_EQ(out.config.spool.dir, "/abs/spool");
    EXPECT_EQ(out.config.quarantine.dir, dir.path() + "/var/lib/rqwatch/quarantine");
}

TEST(LoadConfigTest, EmptyDataDirIsAnError) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "data_dir = \"\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(out.errors[0], path + ": data_dir: must not be empty");
}

TEST(LoadConfigTest, Ipv6Listen) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[server]\nlisten = \"[::1]:9000\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.listen_host, "::1");
    EXPECT_EQ(out.config.listen_port, 9000);
}

TEST(LoadConfigTest, BadListenValues) {
    for (const char* bad :
         {"::1:9000", "[::1]9000", "[::1]:", "127.0.0.1", "127.0.0.1:65536", "127.0.0.1:-1",
          "127.0.0.1:80x", ":8480", "example.com:80", "[::1:80"}) {
        TempDir dir;
        const std::string path =
            dir.Write("rqwatch.toml", std::string("[server]\nlisten = \"") + bad + "\"\n");
        const LoadOutcome out = LoadConfig(path, FakeEnv());
        EXPECT_EQ(CountErrors(out, "server.listen:"), 1) << bad << "\n" << JoinErrors(out);
    }
}

TEST(LoadConfigTest, ListenPortBounds) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", "[server]\nlisten = \"0.0.0.0:65535\"\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.listen_port, 65535);
}

TEST(LoadConfigTest, SyntaxErrorReportedWithFileAndLine) {
    TempDir dir;
    const std::string path =
        dir.Write("rqwatch.toml", "[server]\nio_threads = 4\nlisten = \"127.0.0.1:1\n");
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(out.errors[0].rfind(path + ":3:", 0), 0u) << out.errors[0];
    EXPECT_TRUE(out.files.empty());
}

TEST(LoadConfigTest, MissingFileIsAnError) {
    TempDir dir;
    const std::string path = dir.path() + "/absent.toml";
    const LoadOutcome out = LoadConfig(path, FakeEnv());
    ASSERT_EQ(out.errors.size(), 1u) << JoinErrors(out);
    EXPECT_EQ(out.errors[0].rfind(path + ":", 0), 0u) << out.errors[0];
}

TEST(LoadConfigTest, SessionsInSqlByDefault) {
    const LoadOutcome out = LoadConfig(std::nullopt, FakeEnv());
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.session.store, "sql");
    EXPECT_EQ(out.config.redis.key_prefix, "rqwatch:");
    EXPECT_EQ(out.config.redis.timeout_ms, 2000);
    EXPECT_EQ(out.config.redis.db, 0);
}

TEST(LoadConfigTest, RedisStandalone) {
    TempDir dir;
    const std::string path = dir.Write("rqwatch.toml", R"(
[session]
store = "redis"
[redis]
url_env = "RQW_REDIS"
key_prefix = "mx:"
timeout_ms = 500
)");
    const LoadOutcome out =
        LoadConfig(path, FakeEnv({{"RQW_REDIS", "redis://:p%40ss@redis.example:6380/2"}}));
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.session.store, "redis");
    EXPECT_EQ(out.config.redis.url, "redis://:p%40ss@redis.example:6380/2");
    EXPECT_EQ(out.config.redis.key_prefix, "mx:");
    EXPECT_EQ(out.config.redis.timeout_ms, 500);
}

TEST(LoadConfigTest, RedisThroughSentinels) {
    TempDir dir;
    dir.Write("redis.pass", "master-secret\n");
    const std::string path = dir.Write("rqwatch.toml", R"(
[session]
store = "redis"
[redis]
sentinels = ["10.0.0.1:26379", "sentinel.example:26379", "[2001:db8::7]:26379"]
master_name = "rqwatch"
password_file = "redis.pass"
sentinel_password_env = "RQW_SENTINEL"
db = 3
)");
    const LoadOutcome out = LoadConfig(path, FakeEnv({{"RQW_SENTINEL", "sentinel-secret"}}));
    ASSERT_TRUE(out.Ok()) << JoinErrors(out);
    EXPECT_EQ(out.config.redis.sentinels.size(), 3u);
    EXPECT_EQ(out.config.redis.master_name, "rqwatch");
    EXPECT_EQ(out.config.redis.password, "master-secret");
    EXPECT_EQ(out.config.redis.sentinel_password, "sentinel-secret");
    EXPECT_EQ(out.config.redis.db, 3);
}

// Each wrong [redis] combination gets its own message, naming the key, and
// never the password of a URL.
TEST(LoadConfigTest, RedisSettingsAreValidated) {
    TempDir dir;
    for (const auto& [toml, error] : std::vector<std::pair<std::string, std::string>>{
             {"[session]\nstore = \"redis\"\n",
              "session.store: \"redis\" needs redis.url (one server) or redis.sentinels and "
              "redis.master_name (Sentinel)"},
             {"[redis]\nurl = \"redis://:tiger@h:6379\"\nsentinels = [\"h:26379\"]\n"
              "master_name = \"m\"\n",
              "redis.url: set either redis.url (one server) or redis.sentinels (Sentinel), not "
              "both"},
             {"[redis]\nsentinels = [\"h:26379\"]\n",
              "redis.master_name: needed with redis.sentinels"},
             {"[redis]\nmaster_name = \"m\"\n",
              "redis.master_name: only used with redis.sentinels"},
             {"[redis]\nurl = \"redis://h\"\nsentinel_password = \"x\"\n",
              "redis.sentinel_password: only used with redis.sentinels"},
             {"[redis]\nsentinels = [\"h\"]\nmaster_name = \"m\"\n",
              "redis.sentinels: \"h\" is not HOST:PORT or [IPv6]:PORT"},
             {"[redis]\nsentinels = [\"h:0\"]\nmaster_name = \"m\"\n",
              "redis.sentinels: \"h:0\" has no valid port"},
             {"[redis]\nurl = \"http://:tiger@h:6379\"\n",
              "redis.url: must look like redis://[:PASSWORD@]HOST:PORT[/DB]"},
             {"[redis]\nurl = \"rediss://:tiger@h:6379\"\n",
              "redis.url: rediss:// (TLS) is not supported"},
             {"[redis]\nurl = \"redis://admin:tiger@h:6379\"\n",
              "redis.url: user names are not supported"},
             {"[redis]\nurl = \"redis://:tiger@h:6379/x\"\n",
              "redis.url: database must be a number"},
             {"[redis]\nurl = \"redis://:tiger@h:6379?tls=1\"\n",
              "redis.url: takes no ?options or #fragment"},
             {"[redis]\nurl = \"redis://:tiger@h:99999\"\n", "redis.url: has an invalid port"},
             {"[redis]\nurl = \"redis://:tiger@h\"\npassword = \"x\"\n",
              "redis.password: the password is in redis.url already"},
             {"[redis]\nurl = \"redis://h/1\"\ndb = 2\n",
              "redis.db: the database is in redis.url already"},
             {"[redis]\nkey_prefix = \"\"\n", "redis.key_prefix: must not be empty"},
             {"[session]\nstore = \"memcached\"\n",
              "session.store: \"memcached\" is not one of \"sql\", \"redis\""},
         }) {
        const std::string path = dir.Write("rqwatch.toml", toml);
        const LoadOutcome out = LoadConfig(path, FakeEnv());
        ASSERT_EQ(out.errors.size(), 1u) << toml << JoinErrors(out);
        EXPECT_NE(out.errors[0].find(error), std::string::npos) << out.errors[0];
        EXPECT_EQ(out.errors[0].find("tiger"), std::string::npos) << out.errors[0];
    }
}

TEST(LocalOverridePathTest, Names) {
    EXPECT_EQ(LocalOverridePath("/etc/rqwatch/rqwatch.toml"), "/etc/rqwatch/rqwatch.local.toml");
    EXPECT_EQ(LocalOverridePath("site.toml"), "site.local.toml");
    EXPECT_EQ(LocalOverridePath("/etc/rqwatch/config"), "/etc/rqwatch/config.local");
}

TEST(ProcessEnvTest, ReadsTheRealEnvironment) {
    ASSERT_EQ(::setenv("RQWATCH_UNIT_TEST_VAR", "value-1", 1), 0);
    const EnvLookup env = ProcessEnv();
    EXPECT_EQ(env("RQWATCH_UNIT_TEST_VAR"), std::optional<std::string>("value-1"));
    ::unsetenv("RQWATCH_UNIT_TEST_VAR");
    EXPECT_EQ(env("RQWATCH_UNIT_TEST_VAR"), std::nullopt);
}

}  // namespace
}  // namespace rqwatch::config

namespace rqwatch::config {
namespace {

TEST(LoadConfigTest, NodeApiPeersAndSecretAreChecked) {
    TempDir dir;
    const std::string good = dir.Write(
        "good.toml",
        "[node_api]\nsecret = \"0123456789abcdef\"\nallow_from = [\"192.0.2.0/24\"]\n"
        "peers = [\"mx1=https://mx1.example.org:8480/\", \"mx2=http://127.0.0.1:9\"]\n");
    const LoadOutcome ok = LoadConfig(good, FakeEnv());
    EXPECT_TRUE(ok.errors.empty()) << JoinErrors(ok);
    EXPECT_EQ(ok.config.node_api_peers.at("mx1"), "https://mx1.example.org:8480");
    EXPECT_EQ(ok.config.node_api_peers.at("mx2"), "http://127.0.0.1:9");
    EXPECT_EQ(ok.config.node_api_allow.size(), 1u);

    const std::string bad = dir.Write(
        "bad.toml",
        "[node_api]\nsecret = \"short\"\nallow_from = [\"nowhere\"]\n"
        "peers = [\"mx1\", \"=https://x\", \"mx3=ftp://x\"]\n");
    const LoadOutcome out = LoadConfig(bad, FakeEnv());
    EXPECT_EQ(CountErrors(out, "node_api.secret: must be at least 16"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "node_api.allow_from"), 1) << JoinErrors(out);
    EXPECT_EQ(CountErrors(out, "is not NAME=http(s)://HOST[:PORT]"), 3) << JoinErrors(out);

    const std::string no_secret =
        dir.Write("nosecret.toml", "[node_api]\npeers = [\"mx1=https://mx1.example.org\"]\n");
    EXPECT_EQ(CountErrors(LoadConfig(no_secret, FakeEnv()), "needs node_api.secret"), 1);
}

}  // namespace
}  // namespace rqwatch::config
