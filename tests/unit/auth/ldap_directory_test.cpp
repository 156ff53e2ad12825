// LdapDirectory against a real slapd: the one tests/harness/slapd.sh starts
// (CTest does it; fixture ldap_server) with tests/fixtures/ldap/users.ldif.
// Without RQWATCH_TEST_LDAP_DIR (running the binary by hand) these tests are
// skipped with a message; with it, a missing file fails them.

#include "auth/ldap_directory.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace rqwatch::auth {
namespace {

using namespace std::string_literals;
using Strings = std::vector<std::string>;

// Passwords of the fixture's entries (their {SSHA} hashes are in users.ldif).
constexpr const char* kReaderPassword = "reader-secret";
constexpr const char* kAlicePassword = "alice-secret";
constexpr const char* kBobPassword =
    "b\xc3\xb8"
    "b-P\xc3\xa4ssw\xc3\xb6rd";  // bøb-Pässwörd
constexpr const char* kCarolPassword = "carol-secret";
constexpr const char* kTwinPassword = "twin-secret";
constexpr const char* kJuergenPassword = "j\xc3\xbcrgen-secret";

struct Harness {
    std::string ldap_url;   // ldap://127.0.0.1:PORT (StartTLS possible)
    std::string ldaps_url;  // ldaps://127.0.0.1:PORT
    std::string ca_file;    // signed the server certificate
    std::string other_ca;   // an unrelated CA with the same name
};

std::string FirstLine(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

class LdapDirectoryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* dir = std::getenv("RQWATCH_TEST_LDAP_DIR");
        if (dir == nullptr || *dir == '\0') {
            GTEST_SKIP()
                << "RQWATCH_TEST_LDAP_DIR is not set (run through ctest, which starts slapd)";
        }
        const std::string d = dir;
        h_.ldap_url = FirstLine(d + "/ldap.url");
        h_.ldaps_url = FirstLine(d + "/ldaps.url");
        h_.ca_file = d + "/ca.pem";
        h_.other_ca = d + "/other-ca.pem";
        ASSERT_FALSE(h_.ldap_url.empty()) << "no URL in " << d << "/ldap.url";
        ASSERT_FALSE(h_.ldaps_url.empty()) << "no URL in " << d << "/ldaps.url";
        ASSERT_TRUE(std::ifstream(h_.ca_file).good()) << h_.ca_file;
        ASSERT_TRUE(std::ifstream(h_.other_ca).good()) << h_.other_ca;
    }

    // The service account over plain ldap://, the fixture's admin group.
    [[nodiscard]] LdapSettings Settings() const {
        LdapSettings s;
        s.url = h_.ldap_url;
        s.bind_dn = "cn=reader,dc=example,dc=org";
        s.bind_password = kReaderPassword;
        s.base_dn = "dc=example,dc=org";
        s.user_filter = "(objectClass=inetOrgPerson)";
        s.admin_group_dn = "cn=rqwatch-admins,ou=groups,dc=example,dc=org";
        return s;
    }

    static Result<app::DirectoryUser> Login(const LdapSettings& s, std::string_view login,
                                            std::string_view password) {
        LdapDirectory directory(s);
        return directory.Authenticate(login, password);
    }

    Harness h_;
};

// Fails the test unless `r` is an error with `code`; neither message may
// carry `password`.
void ExpectError(const Result<app::DirectoryUser>& r, ErrorCode code, std::string_view password,
                 const std::string& what) {
    ASSERT_FALSE(r) << what << ": logged in as " << r->login;
    EXPECT_EQ(r.error().code, code)
        << what << ": " << ErrorCodeName(r.error().code) << " " << r.error().detail;
    // the log needs libldap's reason when the directory fails
    if (code == ErrorCode::kUnavailable) {
        EXPECT_NE(r.error().detail, "") << what;
    }
    if (!password.empty()) {
        EXPECT_EQ(r.error().detail.find(password), std::string::npos) << what;
        EXPECT_EQ(r.error().public_msg.find(password), std::string::npos) << what;
    }
}

// A loopback port nobody listens on (bound, then released).
int UnusedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
    ::close(fd);
    return ntohs(a.sin_port);
}

// A server that accepts TCP connections (the kernel does, from the backlog)
// and never says a word: what a hung directory looks like.
class SilentServer {
  public:
    SilentServer() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof a;
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
        EXPECT_EQ(::listen(fd_, 16), 0);
        EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len), 0);
        port_ = ntohs(a.sin_port);
    }
    ~SilentServer() { ::close(fd_); }
    SilentServer(const SilentServer&) = delete;
    SilentServer& operator=(const SilentServer&) = delete;
    [[nodiscard]] int port() const { return port_; }

  private:
    int fd_ = -1;
    int port_ = 0;
};

double SecondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST_F(LdapDirectoryTest, AliceLogsInWithMailAliasesAndName) {
    auto alice = Login(Settings(), "alice", kAlicePassword);
    ASSERT_TRUE(alice) << alice.error().detail;
    EXPECT_EQ(alice->login, "alice");
    EXPECT_EQ(alice->email, "alice@example.org");  // stored as Alice@Example.org
    EXPECT_EQ(alice->aliases, (Strings{"a.liddell@example.org", "alice@example.net"}));
    EXPECT_EQ(alice->display_name, "Alice Liddell");
    EXPECT_FALSE(alice->admin);
}

TEST_F(LdapDirectoryTest, LoginIsTheDirectorysSpelling) {
    // uid matches without regard to case; the account name is the entry's
    auto alice = Login(Settings(), "ALICE", kAlicePassword);
    ASSERT_TRUE(alice) << alice.error().detail;
    EXPECT_EQ(alice->login, "alice");
}

TEST_F(LdapDirectoryTest, BobIsAdminThroughTheGroup) {
    // bob cannot read the group himself (ACL), so this also shows that the
    // group is read with the service account's rights
    auto bob = Login(Settings(), "bob", kBobPassword);
    ASSERT_TRUE(bob) << bob.error().detail;
    EXPECT_TRUE(bob->admin);
    EXPECT_EQ(bob->email, "bob@example.org");
    EXPECT_EQ(bob->aliases, Strings{});
    EXPECT_EQ(bob->display_name, "Bob Builder");

    LdapSettings no_group = Settings();
    no_group.admin_group_dn.clear();
    auto plain_bob = Login(no_group, "bob", kBobPassword);
    ASSERT_TRUE(plain_bob) << plain_bob.error().detail;
    EXPECT_FALSE(plain_bob->admin);
}

TEST_F(LdapDirectoryTest, AliceIsAdminThroughTheList) {
    LdapSettings s = Settings();
    s.admin_users = {"carol", "ALICE"};
    auto alice = Login(s, "alice", kAlicePassword);
    ASSERT_TRUE(alice) << alice.error().detail;
    EXPECT_TRUE(alice->admin);
    auto bob = Login(s, "bob", kBobPassword);  // still admin through the group
    ASSERT_TRUE(bob) << bob.error().detail;
    EXPECT_TRUE(bob->admin);
}

TEST_F(LdapDirectoryTest, PosixGroupListsAdminsByLogin) {
    LdapSettings s = Settings();
    s.admin_group_dn = "cn=rqwatch-admins-posix,ou=groups,dc=example,dc=org";
    s.group_member_attribute = "memberUid";
    auto alice = Login(s, "alice", kAlicePassword);
    ASSERT_TRUE(alice) << alice.error().detail;
    EXPECT_TRUE(alice->admin);
    auto bob = Login(s, "bob", kBobPassword);
    ASSERT_TRUE(bob) << bob.error().detail;
    EXPECT_FALSE(bob->admin);
}

TEST_F(LdapDirectoryTest, MissingAdminGroupMakesNobodyAdmin) {
    LdapSettings s = Settings();
    s.admin_group_dn = "cn=nonexistent,ou=groups,dc=example,dc=org";
    auto bob = Login(s, "bob", kBobPassword);
    ASSERT_TRUE(bob) << bob.error().detail;
    EXPECT_FALSE(bob->admin);
}

TEST_F(LdapDirectoryTest, WrongPasswordAndUnknownUserLookTheSame) {
    auto wrong = Login(Settings(), "alice", "alice-secreT");
    ExpectError(wrong, ErrorCode::kUnauthenticated, "alice-secreT", "wrong password");
    auto unknown = Login(Settings(), "nobody", kAlicePassword);
    ExpectError(unknown, ErrorCode::kUnauthenticated, kAlicePassword, "unknown user");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().public_msg, unknown.error().public_msg);
    // another user's password
    ExpectError(Login(Settings(), "bob", kAlicePassword), ErrorCode::kUnauthenticated,
                kAlicePassword, "bob with alice's password");
    // the password's bytes count (not a normalised or ASCII-folded form)
    ExpectError(Login(Settings(), "bob", "bob-Passworter"), ErrorCode::kUnauthenticated, "",
                "bob, ASCII password");
}

TEST_F(LdapDirectoryTest, EmptyPasswordAndBadLoginsNeverReachTheServer) {
    // Pointed at a port where nothing listens: any attempt to connect would
    // give kUnavailable, so kUnauthenticated shows that none was made.
    LdapSettings s = Settings();
    s.url = "ldap://127.0.0.1:" + std::to_string(UnusedPort());
    ExpectError(Login(s, "alice", ""), ErrorCode::kUnauthenticated, "", "empty password");
    ExpectError(Login(s, "", kAlicePassword), ErrorCode::kUnauthenticated, "", "empty login");
    ExpectError(Login(s, std::string(257, 'a'), kAlicePassword), ErrorCode::kUnauthenticated, "",
                "257-byte login");
    // and against the real server: an empty password for a real user is
    // refused, whatever the server would make of an unauthenticated bind
    ExpectError(Login(Settings(), "alice", ""), ErrorCode::kUnauthenticated, "",
                "alice, empty password");
    // the connection itself does work
    ExpectError(Login(s, "alice", kAlicePassword), ErrorCode::kUnavailable, kAlicePassword,
                "nothing listening");
}

TEST_F(LdapDirectoryTest, InjectionInTheLoginFindsNobody) {
    // With this user filter, each login below would, unescaped, select
    // exactly alice (or make the filter invalid) and log in with her password.
    LdapSettings s = Settings();
    s.user_filter = "(mail=alice@example.org)";
    ASSERT_TRUE(Login(s, "alice", kAlicePassword));
    for (const std::string& login :
         {"*"s, "al*"s, "*ice"s, "alice)(uid=*"s, "*)(|(uid=*"s, "*)(uid=*))(|(uid=*"s, "alice\0"s,
          "alice\0garbage"s, "alice)"s, "\\61lice"s, "alice\\"s}) {
        ExpectError(Login(s, login, kAlicePassword), ErrorCode::kUnauthenticated, kAlicePassword,
                    "login '" + login + "'");
    }
}

TEST_F(LdapDirectoryTest, AmbiguousLoginIsRefused) {
    // uid=twin exists under ou=people and ou=staff, with the same password
    ExpectError(Login(Settings(), "twin", kTwinPassword), ErrorCode::kUnauthenticated,
                kTwinPassword, "twin");
    LdapSettings people = Settings();
    people.base_dn = "ou=people,dc=example,dc=org";
    auto one = Login(people, "twin", kTwinPassword);
    ASSERT_TRUE(one) << one.error().detail;
    EXPECT_EQ(one->email, "twin1@example.org");
}

TEST_F(LdapDirectoryTest, UserWithoutMailIsPermissionDeniedOnlyWithThePassword) {
    // carol's DN has an escaped comma: "cn=Carol Smith\, Jr.,ou=people,..."
    ExpectError(Login(Settings(), "carol", kCarolPassword), ErrorCode::kPermissionDenied,
                kCarolPassword, "carol");
    // without her password nobody learns that carol exists
    ExpectError(Login(Settings(), "carol", "wrong"), ErrorCode::kUnauthenticated, "",
                "carol, wrong password");
}

TEST_F(LdapDirectoryTest, NonAsciiLoginAndName) {
    auto juergen = Login(Settings(), "j\xc3\xbcrgen", kJuergenPassword);
    ASSERT_TRUE(juergen) << juergen.error().detail;
    EXPECT_EQ(juergen->login, "j\xc3\xbcrgen");
    EXPECT_EQ(juergen->email, "juergen.mueller@example.org");
    EXPECT_EQ(juergen->display_name, "J\xc3\xbcrgen M\xc3\xbcller");
    // Latin-1 bytes for the same name are another login
    ExpectError(Login(Settings(), "j\xfcrgen", kJuergenPassword), ErrorCode::kUnauthenticated, "",
                "latin-1 login");
}

TEST_F(LdapDirectoryTest, AnonymousServiceSearch) {
    LdapSettings s = Settings();
    s.bind_dn.clear();
    s.bind_password.clear();
    auto alice = Login(s, "alice", kAlicePassword);
    ASSERT_TRUE(alice) << alice.error().detail;
    EXPECT_EQ(alice->email, "alice@example.org");
    // anonymous may not read the groups here: bob logs in, but not as admin
    auto bob = Login(s, "bob", kBobPassword);
    ASSERT_TRUE(bob) << bob.error().detail;
    EXPECT_FALSE(bob->admin);
    ExpectError(Login(s, "alice", "nope"), ErrorCode::kUnauthenticated, "", "anonymous, wrong");
}

TEST_F(LdapDirectoryTest, LdapsWithTheHarnessCa) {
    LdapSettings s = Settings();
    s.url = h_.ldaps_url;
    s.ca_file = h_.ca_file;
    auto bob = Login(s, "bob", kBobPassword);
    ASSERT_TRUE(bob) << bob.error().detail;
    EXPECT_TRUE(bob->admin);
}

TEST_F(LdapDirectoryTest, StartTlsWithTheHarnessCa) {
    LdapSettings s = Settings();
    s.start_tls = true;
    s.ca_file = h_.ca_file;
    auto alice = Login(s, "alice", kAlicePassword);
    ASSERT_TRUE(alice) << alice.error().detail;
    EXPECT_EQ(alice->aliases, (Strings{"a.liddell@example.org", "alice@example.net"}));
}

TEST_F(LdapDirectoryTest, WrongCaIsUnavailable) {
    LdapSettings ldaps = Settings();
    ldaps.url = h_.ldaps_url;
    ldaps.ca_file = h_.other_ca;
    auto r = Login(ldaps, "alice", kAlicePassword);
    ExpectError(r, ErrorCode::kUnavailable, kAlicePassword, "ldaps, wrong CA");

    LdapSettings start_tls = Settings();
    start_tls.start_tls = true;
    start_tls.ca_file = h_.other_ca;
    auto s = Login(start_tls, "alice", kAlicePassword);
    ExpectError(s, ErrorCode::kUnavailable, kAlicePassword, "StartTLS, wrong CA");
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().detail.find("StartTLS"), std::string::npos) << s.error().detail;

    // the system CAs do not know the harness CA either
    LdapSettings system = ldaps;
    system.ca_file.clear();
    ExpectError(Login(system, "alice", kAlicePassword), ErrorCode::kUnavailable, kAlicePassword,
                "ldaps, system CAs");
    // a CA file that is not there
    LdapSettings missing = ldaps;
    missing.ca_file = h_.ca_file + ".missing";
    ExpectError(Login(missing, "alice", kAlicePassword), ErrorCode::kUnavailable, kAlicePassword,
                "ldaps, missing CA file");
}

TEST_F(LdapDirectoryTest, TlsOnThePlainPortFails) {
    // ldaps:// spoken to the ldap:// port: no silent fallback to plain text
    LdapSettings s = Settings();
    s.url = "ldaps://" + h_.ldap_url.substr(std::string("ldap://").size());
    s.ca_file = h_.ca_file;
    s.timeout_ms = 2000;
    ExpectError(Login(s, "alice", kAlicePassword), ErrorCode::kUnavailable, kAlicePassword,
                "ldaps to the plain port");
}

TEST_F(LdapDirectoryTest, NothingListeningIsUnavailableQuickly) {
    LdapSettings s = Settings();
    s.url = "ldap://127.0.0.1:" + std::to_string(UnusedPort());
    const auto t0 = std::chrono::steady_clock::now();
    auto r = Login(s, "alice", kAlicePassword);
    ExpectError(r, ErrorCode::kUnavailable, kAlicePassword, "nothing listening");
    EXPECT_LT(SecondsSince(t0), 2.0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().public_msg, "directory unavailable");
    EXPECT_FALSE(r.error().detail.empty());
}

TEST_F(LdapDirectoryTest, SilentServerTimesOut) {
    SilentServer silent;
    for (const char* scheme : {"ldap", "ldaps"}) {
        LdapSettings s = Settings();
        s.url = std::string(scheme) + "://127.0.0.1:" + std::to_string(silent.port());
        s.ca_file = h_.ca_file;
        s.timeout_ms = 300;
        const auto t0 = std::chrono::steady_clock::now();
        ExpectError(Login(s, "alice", kAlicePassword), ErrorCode::kUnavailable, kAlicePassword,
                    std::string(scheme) + " to a silent server");
        EXPECT_LT(SecondsSince(t0), 3.0) << scheme;
    }
}

TEST_F(LdapDirectoryTest, FailsOverToTheNextUri) {
    LdapSettings s = Settings();
    s.url = "ldap://127.0.0.1:" + std::to_string(UnusedPort()) + " " + h_.ldap_url;
    auto alice = Login(s, "alice", kAlicePassword);
    ASSERT_TRUE(alice) << alice.error().detail;
}

TEST_F(LdapDirectoryTest, ServiceAccountWithAWrongPasswordIsUnavailable) {
    LdapSettings s = Settings();
    s.bind_password = "not-the-reader-secret";
    auto r = Login(s, "alice", kAlicePassword);
    ExpectError(r, ErrorCode::kUnavailable, kAlicePassword, "service bind");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().detail.find("not-the-reader-secret"), std::string::npos);
    EXPECT_NE(r.error().detail.find("cn=reader"), std::string::npos) << r.error().detail;
}

TEST_F(LdapDirectoryTest, MissingBaseIsUnavailable) {
    LdapSettings s = Settings();
    s.base_dn = "ou=nowhere,dc=example,dc=org";
    ExpectError(Login(s, "alice", kAlicePassword), ErrorCode::kUnavailable, kAlicePassword,
                "missing base");
}

TEST_F(LdapDirectoryTest, ConcurrentLoginsOverTls) {
    // one directory object shared by worker threads, as serve will use it
    LdapSettings s = Settings();
    s.url = h_.ldaps_url;
    s.ca_file = h_.ca_file;
    LdapDirectory directory(s);
    std::vector<int> ok(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < ok.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 3; ++i) {
                auto r = t % 2 == 0 ? directory.Authenticate("alice", kAlicePassword)
                                    : directory.Authenticate("bob", kBobPassword);
                if (r && r->admin == (t % 2 == 1)) ++ok[t];
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok, (std::vector<int>{3, 3, 3, 3}));
}

}  // namespace
}  // namespace rqwatch::auth
