#include "rspamd/ingest_metadata.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/utf8.hpp"

namespace rqwatch::rspamd {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Headers = std::map<std::string, std::string>;  // lower-case name -> value

HeaderLookup Lookup(const Headers& headers) {
    return [&headers](std::string_view name) -> std::optional<std::string_view> {
        auto it = headers.find(std::string(name));
        if (it == headers.end()) return std::nullopt;
        return std::string_view(it->second);
    };
}

std::string Lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The request of RSPAMD.md §1.2 (Rspamd 3.4, formatter "default", meta_headers = true),
// with the symbol list of §1.3 written out (its key order varies per symbol).
Headers RealHeaders() {
    return {
        {"x-rspamd-user", "authuser"},
        {"x-rspamd-fuzzy", "[]"},
        {"x-rspamd-score", "1.2"},
        {"x-rspamd-action", "no action"},
        {"x-rspamd-rcpt", R"(["r1@example.net","R2@Example.NET"])"},
        {"x-rspamd-ip", "198.51.100.7"},
        {"x-rspamd-scan_time", "146"},
        {"x-rspamd-symbols",
         R"([{"name":"RCVD_VIA_SMTP_AUTH","score":0,"group":"headers","groups":["headers"]},)"
         R"({"score":1,"options":["9042"],"groups":["headers"],"group":"headers","name":"DATE_IN_PAST"},)"
         R"({"groups":["mime","headers"],"name":"MIME_GOOD","options":["text/plain"],"group":"mime","score":-0.100000}])"},
        {"x-rspamd-rspamd_server", "vm"},
        {"x-rspamd-qid", "4AbC123XyZ"},
        {"x-rspamd-subject", "Lunch on Thursday"},
        {"x-rspamd-from", "sender@example.org"},
    };
}

Result<IngestMetadata> FromHeaders(const Headers& h) { return MetadataFromHeaders(Lookup(h)); }

IngestMetadata MustParse(const Headers& h) {
    auto r = FromHeaders(h);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().public_msg);
    return r.value_or(IngestMetadata{});
}

// Expects kInvalidArgument whose message mentions `what` (case-insensitive).
void ExpectInvalid(const Result<IngestMetadata>& r, const std::string& what) {
    ASSERT_FALSE(r.has_value()) << "expected an error mentioning " << what;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(Lower(r.error().public_msg), HasSubstr(Lower(what)));
}

TEST(MetadataFromHeadersTest, RealRspamd34Request) {
    const IngestMetadata m = MustParse(RealHeaders());
    EXPECT_EQ(m.action, "no action");
    EXPECT_DOUBLE_EQ(m.score, 1.2);
    EXPECT_EQ(m.qid, "4AbC123XyZ");
    EXPECT_EQ(m.ip, "198.51.100.7");
    EXPECT_EQ(m.mail_from, "sender@example.org");
    EXPECT_THAT(m.rcpt, ElementsAre("r1@example.net", "R2@Example.NET"));
    EXPECT_EQ(m.auth_user, "authuser");
    EXPECT_EQ(m.rspamd_server, "vm");
    EXPECT_EQ(m.scan_time_ms, 146);
    EXPECT_EQ(m.subject, "Lunch on Thursday");
    EXPECT_EQ(m.fuzzy_json, "[]");
    EXPECT_TRUE(m.message_id.empty());
    EXPECT_TRUE(m.header_from.empty());
    EXPECT_TRUE(m.header_to.empty());

    ASSERT_EQ(m.symbols.size(), 3u);
    EXPECT_EQ(m.symbols[0].name, "RCVD_VIA_SMTP_AUTH");
    EXPECT_DOUBLE_EQ(m.symbols[0].score, 0);
    EXPECT_EQ(m.symbols[0].group, "headers");
    EXPECT_THAT(m.symbols[0].groups, ElementsAre("headers"));
    EXPECT_TRUE(m.symbols[0].options.empty());

    EXPECT_EQ(m.symbols[1].name, "DATE_IN_PAST");
    EXPECT_DOUBLE_EQ(m.symbols[1].score, 1);
    EXPECT_EQ(m.symbols[1].group, "headers");
    EXPECT_THAT(m.symbols[1].options, ElementsAre("9042"));

    EXPECT_EQ(m.symbols[2].name, "MIME_GOOD");
    EXPECT_DOUBLE_EQ(m.symbols[2].score, -0.1);
    EXPECT_EQ(m.symbols[2].group, "mime");
    EXPECT_THAT(m.symbols[2].groups, ElementsAre("mime", "headers"));
    EXPECT_THAT(m.symbols[2].options, ElementsAre("text/plain"));
}

TEST(MetadataFromHeadersTest, RecipientDuplicatesAndCaseKept) {
    Headers h = RealHeaders();
    h["x-rspamd-rcpt"] = R"(["dup@example.net","dup@example.net","Dup@Example.net"])";
    EXPECT_THAT(MustParse(h).rcpt,
                ElementsAre("dup@example.net", "dup@example.net", "Dup@Example.net"));
}

TEST(MetadataFromHeadersTest, UnknownRecipientIsEmpty) {
    Headers h = RealHeaders();
    h["x-rspamd-rcpt"] = "unknown";
    EXPECT_TRUE(MustParse(h).rcpt.empty());
    h.erase("x-rspamd-rcpt");
    EXPECT_TRUE(MustParse(h).rcpt.empty());
}

TEST(MetadataFromHeadersTest, UnknownScalarsAreEmpty) {
    Headers h = RealHeaders();
    h["x-rspamd-qid"] = "unknown";
    h["x-rspamd-ip"] = "unknown";
    h["x-rspamd-user"] = "unknown";
    h["x-rspamd-subject"] = "unknown";
    h["x-rspamd-from"] = "unknown";
    h["x-rspamd-scan_time"] = "unknown";
    const IngestMetadata m = MustParse(h);
    EXPECT_EQ(m.qid, "");
    EXPECT_EQ(m.ip, "");
    EXPECT_EQ(m.auth_user, "");
    EXPECT_EQ(m.subject, "");
    EXPECT_EQ(m.mail_from, "");
    EXPECT_EQ(m.scan_time_ms, -1);
}

TEST(MetadataFromHeadersTest, MinimalRequestHasDefaults) {
    const IngestMetadata m = MustParse({{"x-rspamd-action", "reject"}, {"x-rspamd-score", "22.3"}});
    EXPECT_EQ(m.action, "reject");
    EXPECT_DOUBLE_EQ(m.score, 22.3);
    EXPECT_EQ(m.qid, "");
    EXPECT_TRUE(m.rcpt.empty());
    EXPECT_TRUE(m.symbols.empty());
    EXPECT_EQ(m.fuzzy_json, "[]");
    EXPECT_EQ(m.scan_time_ms, -1);
}

TEST(MetadataFromHeadersTest, NullSenderIsEmpty) {
    Headers h = RealHeaders();
    h["x-rspamd-from"] = "";  // "X-Rspamd-from: " for a bounce
    EXPECT_EQ(MustParse(h).mail_from, "");
}

TEST(MetadataFromHeadersTest, MailFromCaseKept) {
    Headers h = RealHeaders();
    h["x-rspamd-from"] = "Spammer@Spam.Example.COM";
    EXPECT_EQ(MustParse(h).mail_from, "Spammer@Spam.Example.COM");
}

TEST(MetadataFromHeadersTest, RawUtf8SubjectKept) {
    Headers h = RealHeaders();
    const std::string subject =
        "Gr\xc3\xbc\xc3\x9f"
        "e aus M\xc3\xbcnchen \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e";
    h["x-rspamd-subject"] = subject;
    EXPECT_EQ(MustParse(h).subject, subject);
}

TEST(MetadataFromHeadersTest, Rfc2047SubjectKeptForTheImporter) {
    Headers h = RealHeaders();
    h["x-rspamd-subject"] = "=?UTF-8?Q?M=C3=BCnchen?=";
    EXPECT_EQ(MustParse(h).subject, "=?UTF-8?Q?M=C3=BCnchen?=");
}

TEST(MetadataFromHeadersTest, Latin1SubjectAndFromBecomeUtf8) {
    Headers h = RealHeaders();
    h["x-rspamd-subject"] =
        "Gr\xfc\xdf"
        "e aus M\xfcnchen";
    h["x-rspamd-from"] = "J\xfcrgen@example.org";
    const IngestMetadata m = MustParse(h);
    EXPECT_EQ(m.subject,
              "Gr\xc3\xbc\xc3\x9f"
              "e aus M\xc3\xbcnchen");
    EXPECT_EQ(m.mail_from, "J\xc3\xbcrgen@example.org");
    EXPECT_TRUE(IsValidUtf8(m.subject));
}

TEST(MetadataFromHeadersTest, Scores) {
    const std::map<std::string, double> cases = {{"-10", -10.0}, {"1.2", 1.2}, {"-0.100000", -0.1},
                                                 {"22.3", 22.3}, {"0", 0.0},   {" 7.9 ", 7.9}};
    for (const auto& [text, value] : cases) {
        Headers h = RealHeaders();
        h["x-rspamd-score"] = text;
        EXPECT_DOUBLE_EQ(MustParse(h).score, value) << text;
    }
}

TEST(MetadataFromHeadersTest, ActionIsLowerCasedAndTrimmed) {
    Headers h = RealHeaders();
    h["x-rspamd-action"] = " Add Header ";
    EXPECT_EQ(MustParse(h).action, "add header");
}

TEST(MetadataFromHeadersTest, ScanTime) {
    Headers h = RealHeaders();
    h["x-rspamd-scan_time"] = "8";
    EXPECT_EQ(MustParse(h).scan_time_ms, 8);
    h["x-rspamd-scan_time"] = "-5";
    EXPECT_EQ(MustParse(h).scan_time_ms, -1);
    h["x-rspamd-scan_time"] = "12ms";
    EXPECT_EQ(MustParse(h).scan_time_ms, -1);
}

TEST(MetadataFromHeadersTest, FuzzyHashesKeptAsCompactJson) {
    Headers h = RealHeaders();
    h["x-rspamd-fuzzy"] = R"([ "abc123" , "def456" ])";
    EXPECT_EQ(MustParse(h).fuzzy_json, R"(["abc123","def456"])");
}

TEST(MetadataFromHeadersTest, Ipv6Address) {
    Headers h = RealHeaders();
    h["x-rspamd-ip"] = "2001:db8::5";
    EXPECT_EQ(MustParse(h).ip, "2001:db8::5");
}

TEST(MetadataFromHeadersTest, MissingAction) {
    Headers h = RealHeaders();
    h.erase("x-rspamd-action");
    ExpectInvalid(FromHeaders(h), "X-Rspamd-action");
    h["x-rspamd-action"] = "unknown";
    ExpectInvalid(FromHeaders(h), "missing action");
}

TEST(MetadataFromHeadersTest, MissingScore) {
    Headers h = RealHeaders();
    h.erase("x-rspamd-score");
    ExpectInvalid(FromHeaders(h), "X-Rspamd-score");
    ExpectInvalid(FromHeaders(h), "missing score");
}

TEST(MetadataFromHeadersTest, BadScores) {
    for (const char* bad : {"abc", "nan", "inf", "-inf", "", "1.2.3", "1,5", "12abc"}) {
        Headers h = RealHeaders();
        h["x-rspamd-score"] = bad;
        ExpectInvalid(FromHeaders(h), "score");
    }
}

TEST(MetadataFromHeadersTest, BadRecipients) {
    for (const char* bad : {"[not json", R"({"a":1})", "[1,2]", R"(["ok@example.net",null])"}) {
        Headers h = RealHeaders();
        h["x-rspamd-rcpt"] = bad;
        ExpectInvalid(FromHeaders(h), "X-Rspamd-rcpt");
    }
}

TEST(MetadataFromHeadersTest, BadSymbols) {
    for (const char* bad : {"[{", "\"x\"", "42", "[1]", R"([{"score":1,"group":"headers"}])",
                            R"([{"name":"X","score":"many"}])"}) {
        Headers h = RealHeaders();
        h["x-rspamd-symbols"] = bad;
        ExpectInvalid(FromHeaders(h), "symbols");
    }
}

TEST(MetadataFromHeadersTest, SymbolWithoutNameMessage) {
    Headers h = RealHeaders();
    h["x-rspamd-symbols"] = R"([{"score":1}])";
    ExpectInvalid(FromHeaders(h), "no name");
}

TEST(MetadataFromHeadersTest, BadFuzzy) {
    for (const char* bad : {"{", "{}", "\"abc\""}) {
        Headers h = RealHeaders();
        h["x-rspamd-fuzzy"] = bad;
        ExpectInvalid(FromHeaders(h), "X-Rspamd-fuzzy");
    }
}

TEST(MetadataFromHeadersTest, SymbolScoreAsString) {
    Headers h = RealHeaders();
    h["x-rspamd-symbols"] = R"([{"name":"X","score":"2.5","options":"single"}])";
    const IngestMetadata m = MustParse(h);
    ASSERT_EQ(m.symbols.size(), 1u);
    EXPECT_DOUBLE_EQ(m.symbols[0].score, 2.5);
    EXPECT_THAT(m.symbols[0].options, ElementsAre("single"));
}

// Regression test of a fixed bug; before the fix (src/rspamd/ingest_metadata.cpp, Scalar): values
// longer than 64 KiB are cut at byte 65536 without regard to UTF-8 sequences. When the cut splits a
// multi-byte character the result is no longer valid UTF-8, so Utf8OrCp1252
// re-decodes the WHOLE (valid UTF-8) value as Windows-1252: every "ü" becomes
// "Ã¼". Expected: cut at the last complete character.
TEST(MetadataFromHeadersTest, LongUtf8SubjectTruncatedAtCharacterBoundary) {
    Headers h = RealHeaders();
    std::string subject = "a";
    for (int i = 0; i < 40000; ++i) subject += "\xc3\xbc";  // 80001 bytes
    h["x-rspamd-subject"] = subject;
    const IngestMetadata m = MustParse(h);
    EXPECT_EQ(m.subject, subject.substr(0, 65535));
}

TEST(MetadataFromHeadersTest, LongAsciiSubjectTruncatedTo64KiB) {
    Headers h = RealHeaders();
    h["x-rspamd-subject"] = std::string(70000, 's');
    EXPECT_EQ(MustParse(h).subject, std::string(65536, 's'));
}

// Formatter "json" (RSPAMD.md §1.4).
const char* kJsonBody = R"({
  "ip": "198.51.100.7",
  "qid": "4AbC123XyZ",
  "rspamd_server": "vm",
  "rcpt": ["r1@example.net", "R2@Example.NET"],
  "action": "add header",
  "from": "sender@example.org",
  "score": 7.37,
  "scan_time": 411,
  "header_from": ["Alice Example <alice@example.org>"],
  "header_to": ["r1@example.net", "Bob <R2@Example.NET>"],
  "header_subject": ["Gr\u00fc\u00dfe aus M\u00fcnchen"],
  "header_date": ["Thu, 19 Nov 2026 10:00:00 +0000"],
  "message_id": "20261119100000.ABC@example.org",
  "subject": "Gr\u00fc\u00dfe aus M\u00fcnchen",
  "fuzzy": [],
  "user": "unknown",
  "symbols": [
    {"name": "R_MIXED_CHARSET", "score": 2.8, "group": "mime", "groups": ["mime"], "options": ["M\u00fcnchen"]},
    {"score": 1, "name": "DATE_IN_PAST", "groups": ["headers"], "group": "headers", "options": ["9042"]}
  ]
})";

TEST(MetadataFromJsonTest, FormatterJson) {
    auto r = MetadataFromJson(kJsonBody);
    ASSERT_TRUE(r.has_value()) << r.error().public_msg;
    const IngestMetadata& m = *r;
    EXPECT_EQ(m.ip, "198.51.100.7");
    EXPECT_EQ(m.qid, "4AbC123XyZ");
    EXPECT_EQ(m.rspamd_server, "vm");
    EXPECT_THAT(m.rcpt, ElementsAre("r1@example.net", "R2@Example.NET"));
    EXPECT_EQ(m.action, "add header");
    EXPECT_EQ(m.mail_from, "sender@example.org");
    EXPECT_DOUBLE_EQ(m.score, 7.37);
    EXPECT_EQ(m.scan_time_ms, 411);
    EXPECT_THAT(m.header_from, ElementsAre("Alice Example <alice@example.org>"));
    EXPECT_THAT(m.header_to, ElementsAre("r1@example.net", "Bob <R2@Example.NET>"));
    EXPECT_EQ(m.message_id, "20261119100000.ABC@example.org");
    EXPECT_EQ(m.subject,
              "Gr\xc3\xbc\xc3\x9f"
              "e aus M\xc3\xbcnchen");
    EXPECT_EQ(m.fuzzy_json, "[]");
    EXPECT_EQ(m.auth_user, "");
    ASSERT_EQ(m.symbols.size(), 2u);
    EXPECT_EQ(m.symbols[0].name, "R_MIXED_CHARSET");
    EXPECT_DOUBLE_EQ(m.symbols[0].score, 2.8);
    EXPECT_THAT(m.symbols[0].options, ElementsAre("M\xc3\xbcnchen"));
    EXPECT_EQ(m.symbols[1].name, "DATE_IN_PAST");
    EXPECT_EQ(m.symbols[1].group, "headers");
}

TEST(MetadataFromJsonTest, UnknownRcptAndHeaderSubjectFallback) {
    auto r = MetadataFromJson(R"({"action":"reject","score":"15","rcpt":"unknown",
                                  "header_subject":["Hello", "second"],"symbols":null})");
    ASSERT_TRUE(r.has_value()) << r.error().public_msg;
    EXPECT_TRUE(r->rcpt.empty());
    EXPECT_EQ(r->subject, "Hello");
    EXPECT_DOUBLE_EQ(r->score, 15);
    EXPECT_TRUE(r->symbols.empty());
}

TEST(MetadataFromJsonTest, SymbolsAsObjectMap) {
    auto r = MetadataFromJson(R"({"action":"reject","score":20.9,"symbols":{
        "HARNESS_TEST_SCORE": {"score": 20.0, "options": ["20"]},
        "DATE_IN_PAST": {"score": 1, "options": ["9042"], "group": "headers"}}})");
    ASSERT_TRUE(r.has_value()) << r.error().public_msg;
    ASSERT_EQ(r->symbols.size(), 2u);
    // Order does not matter; look each one up.
    auto find = [&](const std::string& name) {
        return std::find_if(r->symbols.begin(), r->symbols.end(),
                            [&](const Symbol& s) { return s.name == name; });
    };
    auto harness = find("HARNESS_TEST_SCORE");
    ASSERT_NE(harness, r->symbols.end());
    EXPECT_DOUBLE_EQ(harness->score, 20.0);
    EXPECT_THAT(harness->options, ElementsAre("20"));
    auto date = find("DATE_IN_PAST");
    ASSERT_NE(date, r->symbols.end());
    EXPECT_DOUBLE_EQ(date->score, 1);
    EXPECT_EQ(date->group, "headers");
    EXPECT_THAT(date->options, ElementsAre("9042"));
}

TEST(MetadataFromJsonTest, Errors) {
    ExpectInvalid(MetadataFromJson("[1,2]"), "not a JSON object");
    ExpectInvalid(MetadataFromJson("{"), "not a JSON object");
    ExpectInvalid(MetadataFromJson(R"({"score":1})"), "missing action");
    ExpectInvalid(MetadataFromJson(R"({"action":"reject"})"), "missing score");
    ExpectInvalid(MetadataFromJson(R"({"action":"reject","score":"abc"})"), "score");
    ExpectInvalid(MetadataFromJson(R"({"action":"reject","score":1,"rcpt":{"a":1}})"), "rcpt");
    ExpectInvalid(MetadataFromJson(R"({"action":"reject","score":1,"symbols":"x"})"), "symbols");
}

IngestMetadata FullMetadata() {
    IngestMetadata m;
    m.qid = "4AbC123XyZ";
    m.action = "rewrite subject";
    m.score = -0.1;
    m.ip = "2001:db8::5";
    m.mail_from = "Spammer@Spam.Example.COM";
    m.rcpt = {"dup@example.net", "dup@example.net", "Dup@Example.net"};
    m.auth_user = "authuser";
    m.rspamd_server = "vm";
    m.scan_time_ms = 146;
    m.subject =
        "Gr\xc3\xbc\xc3\x9f"
        "e \"quoted\" \xf0\x9f\x98\x80";
    Symbol a;
    a.name = "CLAM_VIRUS";
    a.score = 12.5;
    a.group = "antivirus";
    a.groups = {"antivirus", "av2"};
    a.options = {"Eicar-Signature", "second"};
    Symbol b;
    b.name = "MIME_GOOD";
    b.score = -0.100000;
    m.symbols = {a, b};
    m.fuzzy_json = R"(["abc123","def456"])";
    m.message_id = "20261119100000.ABC@example.org";
    m.header_from = {"Alice <alice@example.org>"};
    m.header_to = {"r1@example.net", "Bob <bob@example.net>"};
    return m;
}

TEST(SpoolJsonTest, ShapeOfMetadataToJson) {
    const json j = MetadataToJson(FullMetadata());
    EXPECT_EQ(j["qid"], "4AbC123XyZ");
    EXPECT_EQ(j["action"], "rewrite subject");
    EXPECT_TRUE(j["score"].is_number());
    EXPECT_EQ(j["from"], "Spammer@Spam.Example.COM");
    EXPECT_EQ(j["rcpt"].size(), 3u);
    EXPECT_EQ(j["scan_time"], 146);
    EXPECT_TRUE(j["fuzzy"].is_array());
    EXPECT_EQ(j["symbols"][0]["name"], "CLAM_VIRUS");
    EXPECT_EQ(j["symbols"][0]["groups"], json::array({"antivirus", "av2"}));
}

TEST(SpoolJsonTest, RoundTripPreservesEveryField) {
    const IngestMetadata in = FullMetadata();
    auto r = MetadataFromSpoolJson(MetadataToJson(in));
    ASSERT_TRUE(r.has_value()) << r.error().public_msg;
    const IngestMetadata& out = *r;
    EXPECT_EQ(out.qid, in.qid);
    EXPECT_EQ(out.action, in.action);
    EXPECT_EQ(out.score, in.score);
    EXPECT_EQ(out.ip, in.ip);
    EXPECT_EQ(out.mail_from, in.mail_from);
    EXPECT_EQ(out.rcpt, in.rcpt);
    EXPECT_EQ(out.auth_user, in.auth_user);
    EXPECT_EQ(out.rspamd_server, in.rspamd_server);
    EXPECT_EQ(out.scan_time_ms, in.scan_time_ms);
    EXPECT_EQ(out.subject, in.subject);
    EXPECT_EQ(out.fuzzy_json, in.fuzzy_json);
    EXPECT_EQ(out.message_id, in.message_id);
    EXPECT_EQ(out.header_from, in.header_from);
    EXPECT_EQ(out.header_to, in.header_to);
    ASSERT_EQ(out.symbols.size(), in.symbols.size());
    for (std::size_t i = 0; i < in.symbols.size(); ++i) {
        EXPECT_EQ(out.symbols[i].name, in.symbols[i].name);
        EXPECT_EQ(out.symbols[i].score, in.symbols[i].score);
        EXPECT_EQ(out.symbols[i].group, in.symbols[i].group);
        EXPECT_EQ(out.symbols[i].groups, in.symbols[i].groups);
        EXPECT_EQ(out.symbols[i].options, in.symbols[i].options);
    }
}

TEST(SpoolJsonTest, RoundTripOfEmptyMetadata) {
    IngestMetadata in;
    in.action = "no action";
    auto r = MetadataFromSpoolJson(MetadataToJson(in));
    ASSERT_TRUE(r.has_value()) << r.error().public_msg;
    EXPECT_EQ(r->action, "no action");
    EXPECT_EQ(r->score, 0);
    EXPECT_EQ(r->scan_time_ms, -1);
    EXPECT_EQ(r->fuzzy_json, "[]");
    EXPECT_TRUE(r->rcpt.empty());
    EXPECT_TRUE(r->symbols.empty());
    EXPECT_EQ(r->subject, "");
}

TEST(SpoolJsonTest, RoundTripOfHeaderParsedRequest) {
    const IngestMetadata in = MustParse(RealHeaders());
    auto r = MetadataFromSpoolJson(MetadataToJson(in));
    ASSERT_TRUE(r.has_value()) << r.error().public_msg;
    EXPECT_EQ(MetadataToJson(*r), MetadataToJson(in));
}

}  // namespace
}  // namespace rqwatch::rspamd
