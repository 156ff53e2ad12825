// rqwatch-bench: HTTP/1.1 load generator for rqwatch's ingest endpoint.
//
// SUMMARY
//   Sends POST requests shaped like those of Rspamd 3.4's metadata_exporter
//   (formatter "default", meta_headers = true: raw message as the body, metadata
//   in X-Rspamd-* headers; see shared/docs/RSPAMD.md §1.2/1.3) and measures
//   throughput and per-request latency (connect to complete response).
//
//   One thread per connection with blocking POSIX sockets: cheap, predictable,
//   and far below the server's cost per request (see docs/benchmarks.md for the
//   numbers measured against the built-in no-op server).
//
// USAGE
//   rqwatch-bench [--host H] [--port N] [--path P] (--dir DIR | --synthetic-size B)
//                 [--concurrency N] [--requests N] [--duration S] [--warmup N]
//                 [--auth user:pass] [--keepalive] [--action A] [--rcpts N]
//                 [--timeout S] [--json]
//   rqwatch-bench --serve-noop --port N [--host H]
//                 a minimal HTTP/1.1 server that answers 200 to everything,
//                 used to check that the client is not the bottleneck.
//
// OUTPUT
//   requests, ok (exactly 200), errors by status and by socket error, msgs/s,
//   latency p50/p90/p99/max in ms, client CPU time; in --dir mode also the
//   files that were refused (any answer but 200). Exit status: 0 if every
//   request got 200, 1 if some did not, 2 on usage or setup errors.

#include <iconv.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "util/json_string.hpp"

namespace {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// Options

struct Options {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string path = "/api/v1/ingest?server=bench";
    std::string dir;
    std::size_t synthetic_size = 0;
    int concurrency = 1;
    std::optional<std::uint64_t> requests;
    std::optional<double> duration_s;
    std::uint64_t warmup = 0;
    std::string auth;  // user:pass
    bool keepalive = false;
    std::string action = "reject";
    int rcpts = 1;
    double timeout_s = 10.0;
    bool json = false;
    bool serve_noop = false;
    bool list = false;  // print the per-message metadata and exit
};

[[noreturn]] void Usage(const char* error) {
    if (error != nullptr) std::fprintf(stderr, "rqwatch-bench: %s\n", error);
    std::fprintf(stderr,
                 "usage: rqwatch-bench [--host H] [--port N] [--path P]\n"
                 "         (--dir DIR | --synthetic-size BYTES) [--concurrency N]\n"
                 "         [--requests N] [--duration SECONDS] [--warmup N]\n"
                 "         [--auth user:pass] [--keepalive] [--action A] [--rcpts N]\n"
                 "         [--timeout SECONDS] [--json] [--list]\n"
                 "       rqwatch-bench --serve-noop --port N [--host H]\n"
                 "--list prints the metadata sent for each message and exits.\n"
                 "Defaults: 127.0.0.1:8080, /api/v1/ingest?server=bench, concurrency 1,\n"
                 "connection per request (Connection: close, like Rspamd 3.4), action reject;\n"
                 "--dir without --requests/--duration sends every file once.\n");
    std::exit(2);
}

template <class T>
T ParseNumber(std::string_view flag, std::string_view text) {
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        std::string msg = "bad value for " + std::string(flag) + ": '" + std::string(text) + "'";
        Usage(msg.c_str());
    }
    return value;
}

Options ParseOptions(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        std::string_view value;
        bool has_inline = false;
        if (auto eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
            has_inline = true;
        }
        auto next = [&]() -> std::string_view {
            if (has_inline) return value;
            if (i + 1 >= argc) {
                std::string msg = "missing value for " + std::string(arg);
                Usage(msg.c_str());
            }
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h")
            Usage(nullptr);
        else if (arg == "--host")
            o.host = next();
        else if (arg == "--port")
            o.port = ParseNumber<int>(arg, next());
        else if (arg == "--path")
            o.path = next();
        else if (arg == "--dir")
            o.dir = next();
        else if (arg == "--synthetic-size")
            o.synthetic_size = ParseNumber<std::size_t>(arg, next());
        else if (arg == "--concurrency" || arg == "-c")
            o.concurrency = ParseNumber<int>(arg, next());
        else if (arg == "--requests" || arg == "-n")
            o.requests = ParseNumber<std::uint64_t>(arg, next());
        else if (arg == "--duration" || arg == "-d")
            o.duration_s = ParseNumber<double>(arg, next());
        else if (arg == "--warmup")
            o.warmup = ParseNumber<std::uint64_t>(arg, next());
        else if (arg == "--auth")
            o.auth = next();
        else if (arg == "--keepalive")
            o.keepalive = true;
        else if (arg == "--action")
            o.action = next();
        else if (arg == "--rcpts")
            o.rcpts = ParseNumber<int>(arg, next());
        else if (arg == "--timeout")
            o.timeout_s = ParseNumber<double>(arg, next());
        else if (arg == "--json")
            o.json = true;
        else if (arg == "--serve-noop")
            o.serve_noop = true;
        else if (arg == "--list")
            o.list = true;
        else {
            std::string msg = "unknown option " + std::string(arg);
            Usage(msg.c_str());
        }
    }
    if (o.port <= 0 || o.port > 65535) Usage("--port must be 1..65535");
    if (o.serve_noop) return o;
    if (o.dir.empty() && o.synthetic_size == 0)
        Usage("give --dir DIR and/or --synthetic-size BYTES");
    if (o.concurrency < 1 || o.concurrency > 4096) Usage("--concurrency must be 1..4096");
    if (o.rcpts < 0 || o.rcpts > 10000) Usage("--rcpts must be 0..10000");
    if (o.timeout_s <= 0) Usage("--timeout must be > 0");
    if (o.duration_s && *o.duration_s <= 0) Usage("--duration must be > 0");
    if (!o.auth.empty() && o.auth.find(':') == std::string::npos) Usage("--auth must be user:pass");
    return o;
}

// ---------------------------------------------------------------------------
// Small text helpers

std::string Base64(std::string_view in, std::size_t line_len = 0) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(in.size() * 4 / 3 + 4 + (line_len ? in.size() / line_len * 2 : 0));
    std::size_t col = 0;
    auto put = [&](char c) {
        out.push_back(c);
        if (line_len != 0 && ++col == line_len) {
            out += "\r\n";
            col = 0;
        }
    };
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        std::uint32_t v =
            (std::uint8_t(in[i]) << 16) | (std::uint8_t(in[i + 1]) << 8) | std::uint8_t(in[i + 2]);
        put(kAlphabet[(v >> 18) & 63]);
        put(kAlphabet[(v >> 12) & 63]);
        put(kAlphabet[(v >> 6) & 63]);
        put(kAlphabet[v & 63]);
    }
    if (i < in.size()) {
        std::uint32_t v = std::uint8_t(in[i]) << 16;
        if (i + 1 < in.size()) v |= std::uint8_t(in[i + 1]) << 8;
        put(kAlphabet[(v >> 18) & 63]);
        put(kAlphabet[(v >> 12) & 63]);
        put(i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=');
        put('=');
    }
    if (line_len != 0 && col != 0) out += "\r\n";
    return out;
}


char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (Lower(a[i]) != Lower(b[i])) return false;
    return true;
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

bool IsValidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80         ? 1
                        : (c >> 5) == 6  ? 2
                        : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4
                                         : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
        i += n;
    }
    return true;
}

std::string Latin1ToUtf8(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

// Charset conversion with glibc's iconv (no extra library); nullopt when the
// charset is unknown or the bytes do not convert.
std::optional<std::string> ToUtf8(const std::string& charset, const std::string& bytes) {
    iconv_t cd = iconv_open("UTF-8", charset.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(bytes.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    char* dst = out.data();
    std::size_t out_left = out.size();
    std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    iconv_close(cd);
    if (rc == static_cast<std::size_t>(-1)) return std::nullopt;
    out.resize(out.size() - out_left);
    return out;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = Lower(c);
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::optional<std::string> Base64Decode(std::string_view in) {
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        int v;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else if (c == '=')
            break;
        else
            return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xFF));
        }
    }
    return out;
}

// Decodes RFC 2047 encoded-words (any charset glibc's iconv knows; words it
// cannot convert stay encoded). Raw
// 8-bit text that is not UTF-8 is taken as Latin-1, as Rspamd does for
// undeclared charsets. The result is UTF-8 like 3.4's X-Rspamd-subject.
std::string DecodeHeaderText(std::string_view raw) {
    std::string out;
    std::size_t i = 0;
    bool last_was_word = false;
    while (i < raw.size()) {
        if (raw.compare(i, 2, "=?") == 0) {
            std::size_t q1 = raw.find('?', i + 2);
            std::size_t q2 = q1 == std::string_view::npos ? q1 : raw.find('?', q1 + 1);
            std::size_t end = q2 == std::string_view::npos ? q2 : raw.find("?=", q2 + 1);
            if (end != std::string_view::npos && q2 == q1 + 2) {
                std::string charset(raw.substr(i + 2, q1 - i - 2));
                if (auto star = charset.find('*'); star != std::string::npos) charset.resize(star);
                for (auto& c : charset) c = Lower(c);
                char enc = Lower(raw[q1 + 1]);
                std::string_view text = raw.substr(q2 + 1, end - q2 - 1);
                std::optional<std::string> bytes;
                if (enc == 'b') {
                    bytes = Base64Decode(text);
                } else if (enc == 'q') {
                    std::string d;
                    for (std::size_t k = 0; k < text.size(); ++k) {
                        if (text[k] == '_') {
                            d.push_back(' ');
                        } else if (text[k] == '=' && k + 2 < text.size() &&
                                   HexValue(text[k + 1]) >= 0 && HexValue(text[k + 2]) >= 0) {
                            d.push_back(static_cast<char>(HexValue(text[k + 1]) * 16 +
                                                          HexValue(text[k + 2])));
                            k += 2;
                        } else {
                            d.push_back(text[k]);
                        }
                    }
                    bytes = d;
                }
                std::optional<std::string> utf8;
                if (bytes) utf8 = ToUtf8(charset, *bytes);
                if (utf8) {
                    // Whitespace between two adjacent encoded-words is dropped.
                    if (last_was_word) {
                        while (!out.empty() && (out.back() == ' ' || out.back() == '\t'))
                            out.pop_back();
                    }
                    out += *utf8;
                    i = end + 2;
                    last_was_word = true;
                    continue;
                }
            }
        }
        if (raw[i] != ' ' && raw[i] != '\t') last_was_word = false;
        out.push_back(raw[i]);
        ++i;
    }
    if (!IsValidUtf8(out)) out = Latin1ToUtf8(out);
    // No header injection: control characters (CR, LF, NUL, ...) become spaces.
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    return std::string(Trim(out));
}

// ---------------------------------------------------------------------------
// Messages and their Rspamd metadata

struct Message {
    std::string name;        // file path relative to --dir, or "synthetic"
    std::string body_head;   // body up to the per-request token (whole body if no token)
    std::string body_tail;   // body after the token
    bool has_token = false;  // synthetic mails carry the qid in their Message-ID
    std::string meta_pre;    // X-Rspamd-* header lines before X-Rspamd-qid
    std::string meta_post;   // ... and after it
};

struct HeaderField {
    std::string name;
    std::string value;  // unfolded
};

std::vector<HeaderField> ParseHeaderBlock(std::string_view msg) {
    std::vector<HeaderField> fields;
    std::size_t pos = 0;
    while (pos < msg.size()) {
        std::size_t eol = msg.find('\n', pos);
        if (eol == std::string_view::npos) eol = msg.size();
        std::string_view line = msg.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        pos = eol + 1;
        if (line.empty()) break;  // end of the header block
        if ((line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
            fields.back().value += ' ';
            fields.back().value += Trim(line);
            continue;
        }
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;  // "From " mbox line and junk
        fields.push_back(
            {std::string(Trim(line.substr(0, colon))), std::string(Trim(line.substr(colon + 1)))});
    }
    return fields;
}

const std::string* FindHeader(const std::vector<HeaderField>& fields, std::string_view name) {
    for (const auto& f : fields)
        if (IEquals(f.name, name)) return &f.value;
    return nullptr;
}

bool IsAddrChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::strchr("._%+-=!#$&'*/?^`{|}~", c) != nullptr;
}

// Every addr-spec-looking token (local@domain) in a header value.
std::vector<std::string> ExtractAddresses(std::string_view s, std::size_t limit) {
    std::vector<std::string> out;
    for (std::size_t at = s.find('@'); at != std::string_view::npos && out.size() < limit;
         at = s.find('@', at + 1)) {
        std::size_t b = at;
        while (b > 0 && IsAddrChar(s[b - 1])) --b;
        std::size_t e = at + 1;
        while (e < s.size() && (IsAddrChar(s[e]) && s[e] != '=' && s[e] != '?')) ++e;
        if (b == at || e == at + 1) continue;
        std::string addr(s.substr(b, e - b));
        while (!addr.empty() && addr.back() == '.') addr.pop_back();
        if (addr.find('.', addr.find('@')) == std::string::npos) continue;
        out.push_back(std::move(addr));
    }
    return out;
}

// A realistic X-Rspamd-symbols value: ~15 symbols, 1-5 KB of compact JSON.
std::string MakeSymbols(std::uint64_t seed, bool is_virus) {
    struct Sym {
        const char* name;
        const char* group;
        double score;
        const char* options;  // pre-rendered JSON array items, or nullptr
    };
    static constexpr Sym kPool[] = {
        {"BAYES_SPAM", "statistics", 5.1, "\"99.99%\""},
        {"MIME_GOOD", "mime_types", -0.1, "\"multipart/mixed\",\"text/plain\""},
        {"R_SPF_FAIL", "policies", 1.0, "\"-all\""},
        {"R_DKIM_REJECT", "policies", 1.0, "\"lieferant-example.de:s=2026\""},
        {"DMARC_POLICY_REJECT", "policies", 2.0,
         "\"lieferant-example.de : No valid SPF, No valid DKIM\",\"reject\""},
        {"ARC_NA", "arc", 0.0, nullptr},
        {"FROM_HAS_DN", "headers", 0.0, nullptr},
        {"TO_DN_ALL", "headers", 0.0, nullptr},
        {"RCPT_COUNT_ONE", "headers", 0.0, "\"1\""},
        {"RCVD_COUNT_THREE", "headers", 0.0, "\"3\""},
        {"RCVD_TLS_LAST", "headers", 0.0, nullptr},
        {"MID_RHS_MATCH_FROM", "headers", 0.0, nullptr},
        {"HAS_ATTACHMENT", "mime_types", 0.0, nullptr},
        {"MIME_TRACE", "mime_types", 0.0, "\"0:+\",\"1:+\",\"2:~\""},
        {"SUBJECT_HAS_CURRENCY", "headers", 1.0, nullptr},
        {"URI_COUNT_ODD", "url", 1.0, "\"3\""},
        {"PHISHING", "phishing", 4.5, "\"bank-example.com->login-bank-example.xyz\""},
        {"DBL_SPAM", "dbl", 6.5, "\"login-bank-example.xyz:url\""},
        {"RBL_SPAMHAUS_XBL", "rbl", 4.0, "\"203.0.113.25:from\""},
        {"HFILTER_HOSTNAME_UNKNOWN", "hfilter", 2.5, nullptr},
        {"FORGED_SENDER", "headers", 0.3,
         "\"billing@lieferant-example.de\",\"bounce@mailer.example.org\""},
        {"MIME_HTML_ONLY", "mime_types", 0.2, nullptr},
        {"R_SUSPICIOUS_URL", "url", 5.5, "\"203.0.113.99\""},
        {"ASN", "asn", 0.0, "\"asn:64496, ipnet:203.0.113.0/24, country:DE\""},
        {"MANY_INVISIBLE_PARTS", "headers", 0.1, "\"1\""},
        {"FUZZY_DENIED", "fuzzy", 12.0, "\"1:ff3a0d9b22:1.00:txt\""},
        {"BROKEN_CONTENT_TYPE", "mime_types", 1.5, nullptr},
        {"DATE_IN_PAST", "headers", 1.0, "\"9042\""},
        {"FREEMAIL_ENVFROM", "freemail", 0.0, "\"gmail.com\""},
        {"ZERO_FONT", "html", 1.0, "\"3\""},
    };
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> idx(std::size(kPool));
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::shuffle(idx.begin(), idx.end(), rng);
    std::size_t count = 12 + rng() % 6;
    std::string out = "[";
    auto add = [&](const Sym& s) {
        if (out.size() > 1) out += ',';
        char score[32];
        std::snprintf(score, sizeof score, "%.6f", s.score);
        out += "{\"name\":\"";
        out += s.name;
        out += "\",\"score\":";
        out += score;
        out += ",\"metric_score\":";
        out += score;
        out += ",\"group\":\"";
        out += s.group;
        out += "\",\"groups\":[\"";
        out += s.group;
        out += "\"]";
        if (s.options != nullptr) {
            out += ",\"options\":[";
            out += s.options;
            out += ']';
        }
        out += ",\"description\":\"";
        out += s.name;
        out += " matched (rule from the ";
        out += s.group;
        out += " group)\"}";
    };
    if (is_virus) add({"CLAM_VIRUS", "antivirus", 20.0, "\"Eicar-Signature\""});
    for (std::size_t i = 0; i < count; ++i) add(kPool[idx[i]]);
    out += ']';
    return out;
}

std::string JsonAddressArray(const std::vector<std::string>& addrs) {
    std::string out = "[";
    for (const auto& a : addrs) {
        if (out.size() > 1) out += ',';
        out += '"';
        out += rqwatch::util::JsonEscaped(a);
        out += '"';
    }
    out += ']';
    return out;
}

// Builds the X-Rspamd-* headers in a per-message random order (Rspamd's Lua
// pairs() order varies per request), split around X-Rspamd-qid.
void SetMeta(Message& m, std::uint64_t seed, const Options& o, std::string_view from,
             std::string_view rcpt_json, std::string_view subject, bool is_virus) {
    std::mt19937_64 rng(seed * 7919 + 17);
    char ip[32];
    std::snprintf(ip, sizeof ip, "203.0.113.%u", static_cast<unsigned>(seed % 250 + 1));
    char score[32];
    std::snprintf(score, sizeof score, "%g", 15.0 + static_cast<double>(seed % 70) / 10.0);
    std::vector<std::pair<std::string, std::string>> h = {
        {"User-Agent", "rspamd-3.4"},
        {"X-Rspamd-user", "unknown"},
        {"X-Rspamd-fuzzy", "[]"},
        {"X-Rspamd-score", score},
        {"X-Rspamd-action", o.action},
        {"X-Rspamd-rcpt", std::string(rcpt_json)},
        {"X-Rspamd-ip", ip},
        {"X-Rspamd-scan_time", std::to_string(20 + seed % 300)},
        {"X-Rspamd-symbols", MakeSymbols(seed, is_virus)},
        {"X-Rspamd-rspamd_server", "bench-mx1"},
        {"X-Rspamd-qid", ""},
        {"X-Rspamd-subject", std::string(subject)},
        {"X-Rspamd-from", std::string(from)},
    };
    std::shuffle(h.begin(), h.end(), rng);
    bool after = false;
    for (const auto& [name, value] : h) {
        if (name == "X-Rspamd-qid") {
            after = true;
            continue;
        }
        std::string& dst = after ? m.meta_post : m.meta_pre;
        dst += name;
        dst += ": ";
        dst += value;
        dst += "\r\n";
    }
}

std::vector<std::string> GeneratedRcpts(int n) {
    std::vector<std::string> out;
    // ~53 bytes per address like the 300-recipient capture in RSPAMD.md §1.3
    // (16,993 bytes of X-Rspamd-rcpt).
    char buf[96];
    for (int i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, "rcpt.user-%04d@sales-division.example-corporation.net", i);
        out.push_back(i == 0 ? std::string("alice@example.net") : std::string(buf));
    }
    return out;
}

Message MessageFromFile(std::string name, std::string content, std::uint64_t seed,
                        const Options& o) {
    Message m;
    m.name = std::move(name);
    auto fields = ParseHeaderBlock(content);
    std::string subject = "unknown";
    if (const auto* s = FindHeader(fields, "Subject")) subject = DecodeHeaderText(*s);
    // Envelope sender: Return-Path, else the From address, else "unknown"
    // (Rspamd falls back to Return-Path; the MTA normally supplies MAIL FROM).
    std::string from = "unknown";
    const auto* rp = FindHeader(fields, "Return-Path");
    if (rp != nullptr && Trim(*rp) == "<>") {
        from = "";
    } else {
        for (const char* hn : {"Return-Path", "From", "Sender"}) {
            const auto* v = FindHeader(fields, hn);
            if (v == nullptr) continue;
            auto a = ExtractAddresses(*v, 1);
            if (!a.empty()) {
                from = a.front();
                break;
            }
        }
    }
    if (!IsValidUtf8(from) || std::any_of(from.begin(), from.end(), [](char c) {
            return static_cast<unsigned char>(c) >= 0x80;
        }))
        from = "unknown";  // SMTPUTF8 senders arrive as "unknown" from 3.4
    // Envelope recipients: To/Cc/Bcc addresses (long lists kept, up to 300),
    // else --rcpts generated ones.
    std::vector<std::string> rcpts;
    for (const auto& f : fields) {
        if (IEquals(f.name, "To") || IEquals(f.name, "Cc") || IEquals(f.name, "Bcc")) {
            auto a = ExtractAddresses(f.value, 300 - rcpts.size());
            for (auto& x : a)
                if (IsValidUtf8(x)) rcpts.push_back(std::move(x));
        }
        if (rcpts.size() >= 300) break;
    }
    if (rcpts.empty()) rcpts = GeneratedRcpts(o.rcpts);
    bool virus = m.name.find("eicar") != std::string::npos;
    SetMeta(m, seed, o, from, rcpts.empty() ? "unknown" : JsonAddressArray(rcpts), subject, virus);
    m.body_head = std::move(content);
    return m;
}

// A realistic ~size-byte message: trace and DKIM headers, an encoded UTF-8
// subject with an emoji, text and HTML alternatives with 8-bit content in
// quoted-printable, and a base64 "PDF" attachment filling up to the size.
Message SyntheticMessage(std::size_t size, const Options& o) {
    const std::string subject =
        "Rechnung 2026-4711 \xE2\x80\x93 Zahlung \xC3\xBC"
        "berf\xC3\xA4llig \xF0\x9F\x92\xB6";
    std::mt19937_64 rng(42);
    std::string sig_bytes(256, '\0');
    for (auto& c : sig_bytes) c = static_cast<char>(rng() & 0xFF);
    std::string sig = Base64(sig_bytes);
    std::string folded_sig;
    for (std::size_t i = 0; i < sig.size(); i += 72) folded_sig += "\r\n\t" + sig.substr(i, 72);

    std::string head =
        "Return-Path: <billing@lieferant-example.de>\r\n"
        "Received: from mx.lieferant-example.de (mx.lieferant-example.de [203.0.113.25])\r\n"
        "\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
        "\tby mx1.example.net (Postfix) with ESMTPS id 4Wq1Xy2Zb3\r\n"
        "\tfor <alice@example.net>; Tue, 24 Nov 2026 10:15:01 +0100 (CET)\r\n"
        "Received: from erp01.lieferant-example.de (erp01.internal [10.20.30.40])\r\n"
        "\tby mx.lieferant-example.de (Postfix) with ESMTP id 9F3A2B1C0D\r\n"
        "\tfor <alice@example.net>; Tue, 24 Nov 2026 10:15:00 +0100 (CET)\r\n"
        "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=lieferant-example.de;\r\n"
        "\ts=2026; t=1795511700; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
        "\th=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type;\r\n"
        "\tb=" +
        folded_sig.substr(3) +
        "\r\n"
        "From: \"Buchhaltung Lieferant GmbH\" <billing@lieferant-example.de>\r\n"
        "To: =?UTF-8?Q?Alice_M=C3=BCller?= <alice@example.net>\r\n"
        "Subject: =?UTF-8?B?" +
        Base64(subject) +
        "?=\r\n"
        "Date: Tue, 24 Nov 2026 10:15:00 +0100\r\n"
        "Message-ID: <";
    std::string tail =
        "@lieferant-example.de>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"=_bench_7f3a\"\r\n"
        "\r\n"
        "This is a multi-part message in MIME format.\r\n"
        "\r\n"
        "--=_bench_7f3a\r\n"
        "Content-Type: multipart/alternative; boundary=\"=_alt_7f3a\"\r\n"
        "\r\n"
        "--=_alt_7f3a\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Sehr geehrte Frau M=C3=BCller,\r\n"
        "\r\n"
        "anbei erhalten Sie unsere Rechnung Nr. 2026-4711 =C3=BCber 1.234,56 =E2=82=\r\n"
        "=AC. Bitte begleichen Sie den Betrag bis zum 01.12.2026 auf das unten genan=\r\n"
        "nte Konto. Bei R=C3=BCckfragen erreichen Sie uns unter +49 30 1234567.\r\n"
        "\r\n"
        "Mit freundlichen Gr=C3=BC=C3=9Fen\r\n"
        "Ihre Buchhaltung\r\n"
        "\r\n"
        "--=_alt_7f3a\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "<html><body><p>Sehr geehrte Frau M=C3=BCller,</p><p>anbei erhalten Sie unser=\r\n"
        "e <b>Rechnung Nr. 2026-4711</b> =C3=BCber 1.234,56 =E2=82=AC.</p><p><a href=\r\n"
        "=3D\"https://portal.lieferant-example.de/rechnung/2026-4711\">Rechnung online=\r\n"
        " ansehen</a></p><p>Mit freundlichen Gr=C3=BC=C3=9Fen<br>Ihre Buchhaltung</p=\r\n"
        "></body></html>\r\n"
        "\r\n"
        "--=_alt_7f3a--\r\n"
        "\r\n";
    std::string attach_head =
        "--=_bench_7f3a\r\n"
        "Content-Type: application/pdf; name=\"Rechnung-2026-4711.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"Rechnung-2026-4711.pdf\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n";
    std::string end = "--=_bench_7f3a--\r\n";
    std::size_t fixed =
        head.size() + 24 /* token */ + tail.size() + attach_head.size() + end.size();
    if (size > fixed + 78) {
        std::size_t lines = (size - fixed) / 78;  // 57 raw bytes per 76-char line + CRLF
        std::string raw(lines * 57, '\0');
        raw.replace(0, 9, "%PDF-1.7\n");
        for (std::size_t i = 9; i < raw.size(); ++i) raw[i] = static_cast<char>(rng() & 0xFF);
        tail += attach_head + Base64(raw, 76) + end;
    } else {
        tail += end;
    }
    Message m;
    m.name = "synthetic-" + std::to_string(size);
    m.body_head = std::move(head);
    m.body_tail = std::move(tail);
    m.has_token = true;
    SetMeta(m, 1, o, "billing@lieferant-example.de", JsonAddressArray(GeneratedRcpts(o.rcpts)),
            subject, false);
    return m;
}

std::vector<Message> LoadMessages(const Options& o) {
    std::vector<Message> msgs;
    if (!o.dir.empty()) {
        namespace fs = std::filesystem;
        std::error_code ec;
        std::vector<fs::path> files;
        for (auto it = fs::recursive_directory_iterator(o.dir, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_regular_file() && it->path().extension() == ".eml")
                files.push_back(it->path());
        }
        if (ec) {
            std::fprintf(stderr, "rqwatch-bench: cannot read %s: %s\n", o.dir.c_str(),
                         ec.message().c_str());
            std::exit(2);
        }
        std::sort(files.begin(), files.end());
        for (const auto& p : files) {
            std::ifstream in(p, std::ios::binary);
            std::string content((std::istreambuf_iterator<char>(in)), {});
            if (!in.good() && !in.eof()) {
                std::fprintf(stderr, "rqwatch-bench: cannot read %s\n", p.c_str());
                std::exit(2);
            }
            msgs.push_back(MessageFromFile(fs::relative(p, o.dir).string(), std::move(content),
                                           msgs.size() + 1, o));
        }
        if (msgs.empty()) {
            std::fprintf(stderr, "rqwatch-bench: no *.eml files under %s\n", o.dir.c_str());
            std::exit(2);
        }
    }
    if (o.synthetic_size > 0) msgs.push_back(SyntheticMessage(o.synthetic_size, o));
    return msgs;
}

// ---------------------------------------------------------------------------
// HTTP client

struct Target {
    sockaddr_storage addr{};
    socklen_t addr_len = 0;
    int family = AF_INET;
};

Target Resolve(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string service = std::to_string(port);
    if (int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res); rc != 0) {
        std::fprintf(stderr, "rqwatch-bench: cannot resolve %s: %s\n", host.c_str(),
                     gai_strerror(rc));
        std::exit(2);
    }
    Target t;
    std::memcpy(&t.addr, res->ai_addr, res->ai_addrlen);
    t.addr_len = res->ai_addrlen;
    t.family = res->ai_family;
    freeaddrinfo(res);
    return t;
}

struct Response {
    int status = 0;
    bool close = false;
};

struct Outcome {
    int status = 0;     // HTTP status, 0 when there was no complete answer
    std::string error;  // socket/protocol error, empty on a complete answer
};

class Connection {
  public:
    Connection(const Target& target, double timeout_s) : target_(target) {
        timeout_.tv_sec = static_cast<time_t>(timeout_s);
        timeout_.tv_usec =
            static_cast<suseconds_t>((timeout_s - static_cast<double>(timeout_.tv_sec)) * 1e6);
        buf_.resize(64 * 1024);
    }
    ~Connection() { Close(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool IsOpen() const { return fd_ >= 0; }

    void Close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    std::string Connect() {
        fd_ = ::socket(target_.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) return std::string("socket: ") + std::strerror(errno);
        int one = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        // SO_SNDTIMEO also bounds connect() on Linux.
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout_, sizeof timeout_);
        ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout_, sizeof timeout_);
        if (::connect(fd_, reinterpret_cast<const sockaddr*>(&target_.addr), target_.addr_len) !=
            0) {
            std::string e = std::string("connect: ") + ErrnoText(errno);
            Close();
            return e;
        }
        return {};
    }

    // Sends the request (scatter list) and reads one complete response.
    Outcome RoundTrip(std::span<iovec> iov, bool want_close) {
        Outcome out;
        std::string send_error = SendAll(iov);
        Response r;
        // Even when the send failed the server may have answered early
        // (401/413 before reading the body): try to read that answer.
        std::string recv_error = ReadResponse(r);
        if (recv_error.empty()) {
            out.status = r.status;
            if (r.close || want_close) Close();
            return out;
        }
        Close();
        out.error = send_error.empty() ? recv_error : send_error;
        return out;
    }

  private:
    static std::string ErrnoText(int e) {
        if (e == EAGAIN || e == EWOULDBLOCK || e == EINPROGRESS) return "timeout";
        return std::strerror(e);
    }

    std::string SendAll(std::span<iovec> iov) {
        std::size_t first = 0;
        while (first < iov.size()) {
            msghdr mh{};
            mh.msg_iov = iov.data() + first;
            mh.msg_iovlen = iov.size() - first;
            ssize_t n = ::sendmsg(fd_, &mh, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                return std::string("send: ") + ErrnoText(errno);
            }
            auto left = static_cast<std::size_t>(n);
            while (first < iov.size() && left >= iov[first].iov_len) {
                left -= iov[first].iov_len;
                ++first;
            }
            if (first < iov.size()) {
                iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
                iov[first].iov_len -= left;
            }
        }
        return {};
    }

    // Reads more bytes into buf_[len_..]; returns "" on success.
    std::string Fill(bool& eof) {
        eof = false;
        if (len_ == buf_.size()) buf_.resize(buf_.size() * 2);
        for (;;) {
            ssize_t n = ::recv(fd_, buf_.data() + len_, buf_.size() - len_, 0);
            if (n > 0) {
                len_ += static_cast<std::size_t>(n);
                return {};
            }
            if (n == 0) {
                eof = true;
                return {};
            }
            if (errno == EINTR) continue;
            return std::string("recv: ") + ErrnoText(errno);
        }
    }

    std::string ReadResponse(Response& r) {
        len_ = 0;
        std::size_t header_end = std::string::npos;
        bool eof = false;
        while (header_end == std::string::npos) {
            if (auto e = Fill(eof); !e.empty()) return e;
            if (eof)
                return len_ == 0 ? "recv: connection closed before response"
                                 : "recv: connection closed inside response headers";
            std::string_view v(buf_.data(), len_);
            header_end = v.find("\r\n\r\n");
            if (header_end == std::string::npos && len_ > 1024 * 1024)
                return "parse: response headers too large";
        }
        std::string_view head(buf_.data(), header_end);
        // Status line: HTTP/1.x NNN reason
        if (!head.starts_with("HTTP/1.") || head.size() < 12) return "parse: bad status line";
        bool http10 = head[7] == '0';
        int status = 0;
        auto [p, ec] = std::from_chars(head.data() + 9, head.data() + 12, status);
        if (ec != std::errc{} || p != head.data() + 12) return "parse: bad status code";
        r.status = status;
        r.close = http10;
        std::optional<std::size_t> content_length;
        bool chunked = false;
        std::size_t pos = head.find("\r\n");
        while (pos != std::string_view::npos && pos < head.size()) {
            std::size_t start = pos + 2;
            std::size_t eol = head.find("\r\n", start);
            std::string_view line =
                head.substr(start, (eol == std::string_view::npos ? head.size() : eol) - start);
            pos = eol;
            auto colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            std::string_view name = Trim(line.substr(0, colon));
            std::string_view value = Trim(line.substr(colon + 1));
            if (IEquals(name, "Content-Length")) {
                std::size_t cl = 0;
                std::from_chars(value.data(), value.data() + value.size(), cl);
                content_length = cl;
            } else if (IEquals(name, "Transfer-Encoding")) {
                chunked = value.find("chunked") != std::string_view::npos;
            } else if (IEquals(name, "Connection")) {
                if (IEquals(value, "close")) r.close = true;
                if (IEquals(value, "keep-alive")) r.close = false;
            }
        }
        std::size_t body_start = header_end + 4;
        bool no_body = status == 204 || status == 304 || (status >= 100 && status < 200);
        if (no_body) return {};
        if (chunked) return ReadChunked(body_start);
        if (content_length) {
            while (len_ - body_start < *content_length) {
                if (auto e = Fill(eof); !e.empty()) return e;
                if (eof) return "recv: connection closed inside response body";
            }
            return {};
        }
        // Close-delimited body.
        r.close = true;
        for (;;) {
            if (auto e = Fill(eof); !e.empty()) return e;
            if (eof) return {};
        }
    }

    std::string ReadChunked(std::size_t pos) {
        bool eof = false;
        for (;;) {
            std::size_t eol;
            while ((eol = std::string_view(buf_.data(), len_).find("\r\n", pos)) ==
                   std::string_view::npos) {
                if (auto e = Fill(eof); !e.empty()) return e;
                if (eof) return "recv: connection closed inside chunked body";
            }
            std::size_t size = 0;
            std::from_chars(buf_.data() + pos, buf_.data() + eol, size, 16);
            pos = eol + 2;
            std::size_t need = pos + size + 2;  // data + CRLF (trailers ignored)
            while (len_ < need) {
                if (auto e = Fill(eof); !e.empty()) return e;
                if (eof) return "recv: connection closed inside chunked body";
            }
            pos = need;
            if (size == 0) return {};
        }
    }

    const Target& target_;
    timeval timeout_{};
    int fd_ = -1;
    std::vector<char> buf_;
    std::size_t len_ = 0;
};

// ---------------------------------------------------------------------------
// Load generation

struct Failure {
    std::size_t message;
    int status;
    std::string error;
};

struct WorkerResult {
    std::vector<std::uint32_t> latency_us;
    std::map<int, std::uint64_t> by_status;
    std::map<std::string, std::uint64_t> by_error;
    std::vector<Failure> failures;
    std::uint64_t requests = 0;
    std::uint64_t ok = 0;
    std::uint64_t bytes = 0;
};

struct Phase {
    std::uint64_t limit;  // max requests in this phase (UINT64_MAX: none)
    std::optional<Clock::time_point> deadline;
    char tag;  // 'W' warm-up, 'R' measured
};

class Bench {
  public:
    Bench(const Options& o, std::vector<Message> msgs)
        : o_(o), msgs_(std::move(msgs)), target_(Resolve(o.host, o.port)) {
        fixed_ = "POST " + o.path + " HTTP/1.1\r\n";
        if (!o.keepalive) fixed_ += "Connection: close\r\n";
        fixed_ += "Host: " + o.host + "\r\n";
        char run[32];
        std::snprintf(
            run, sizeof run, "%lX",
            static_cast<unsigned long>(std::chrono::system_clock::now().time_since_epoch().count() /
                                       1000000 % 0xFFFFFFF));
        run_id_ = run;
        if (!o.auth.empty()) auth_ = "Authorization: Basic " + Base64(o.auth) + "\r\n";
    }

    std::vector<WorkerResult> Run(const Phase& phase) {
        next_.store(0);
        std::vector<WorkerResult> results(static_cast<std::size_t>(o_.concurrency));
        std::vector<std::thread> threads;
        for (int t = 0; t < o_.concurrency; ++t)
            threads.emplace_back([&, t] { Worker(phase, results[static_cast<std::size_t>(t)]); });
        for (auto& th : threads) th.join();
        return results;
    }

    const std::vector<Message>& messages() const { return msgs_; }

  private:
    void Worker(const Phase& phase, WorkerResult& res) {
        Connection conn(target_, o_.timeout_s);
        std::string head;
        head.reserve(64 * 1024);
        char qid[64];
        char cl[64];
        for (;;) {
            std::uint64_t i = next_.fetch_add(1, std::memory_order_relaxed);
            if (i >= phase.limit) break;
            if (phase.deadline && Clock::now() >= *phase.deadline) break;
            std::size_t mi = i % msgs_.size();
            const Message& m = msgs_[mi];
            int qlen = std::snprintf(qid, sizeof qid, "BENCH%s%c%llu", run_id_.c_str(), phase.tag,
                                     static_cast<unsigned long long>(i));
            std::size_t body_len = m.body_head.size() + m.body_tail.size() +
                                   (m.has_token ? static_cast<std::size_t>(qlen) : 0);
            std::snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", body_len);
            head.assign(fixed_);
            head += cl;
            head += "Content-Type: text/plain\r\n";
            head += auth_;
            head += m.meta_pre;
            head += "X-Rspamd-qid: ";
            head.append(qid, static_cast<std::size_t>(qlen));
            head += "\r\n";
            head += m.meta_post;
            head += "\r\n";
            std::array<iovec, 4> iov{};
            std::size_t n = 0;
            auto build_iov = [&] {  // sendmsg() may have advanced the entries
                n = 0;
                iov[n++] = {head.data(), head.size()};
                iov[n++] = {const_cast<char*>(m.body_head.data()), m.body_head.size()};
                if (m.has_token) iov[n++] = {qid, static_cast<std::size_t>(qlen)};
                if (!m.body_tail.empty())
                    iov[n++] = {const_cast<char*>(m.body_tail.data()), m.body_tail.size()};
            };
            build_iov();

            auto start = Clock::now();
            Outcome out;
            bool reused = conn.IsOpen();
            std::string err = reused ? std::string() : conn.Connect();
            if (!err.empty()) {
                out.error = std::move(err);
            } else {
                out = conn.RoundTrip(std::span(iov.data(), n), !o_.keepalive);
                if (reused && out.status == 0 &&
                    (out.error.starts_with("send:") ||
                     out.error == "recv: connection closed before response")) {
                    // A kept-alive connection the server had closed: retry once on a new one.
                    build_iov();
                    start = Clock::now();
                    err = conn.Connect();
                    if (err.empty())
                        out = conn.RoundTrip(std::span(iov.data(), n), !o_.keepalive);
                    else
                        out = Outcome{0, std::move(err)};
                }
            }
            auto us =
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
            ++res.requests;
            res.bytes += head.size() + body_len;
            res.latency_us.push_back(
                static_cast<std::uint32_t>(std::min<long long>(us, UINT32_MAX)));
            if (out.status != 0)
                ++res.by_status[out.status];
            else
                ++res.by_error[out.error];
            if (out.status == 200)
                ++res.ok;
            else
                res.failures.push_back({mi, out.status, out.error});
        }
    }

    const Options& o_;
    std::vector<Message> msgs_;
    Target target_;
    std::string fixed_;
    std::string auth_;
    std::string run_id_;
    std::atomic<std::uint64_t> next_{0};
};

double CpuSeconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto tv = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return tv(ru.ru_utime) + tv(ru.ru_stime);
}

double Percentile(const std::vector<std::uint32_t>& sorted, double q) {
    if (sorted.empty()) return 0;
    auto rank = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
    return static_cast<double>(sorted[std::min(rank, sorted.size() - 1)]) / 1000.0;
}

// --list: one line per message with the metadata headers that vary.
void ListMessages(const std::vector<Message>& msgs) {
    auto field = [](const Message& m, std::string_view name) {
        for (const std::string* part : {&m.meta_pre, &m.meta_post}) {
            std::string key = "\r\n" + std::string(name) + ": ";
            std::string hay = "\r\n" + *part;
            if (auto p = hay.find(key); p != std::string::npos) {
                p += key.size();
                return hay.substr(p, hay.find("\r\n", p) - p);
            }
        }
        return std::string();
    };
    for (const auto& m : msgs) {
        std::string rcpt = field(m, "X-Rspamd-rcpt");
        std::size_t n = rcpt.starts_with("[") ? std::count(rcpt.begin(), rcpt.end(), '"') / 2 : 0;
        std::printf("%s\tbytes=%zu\theaders=%zu\tfrom=%s\trcpts=%zu\tsubject=%s\n", m.name.c_str(),
                    m.body_head.size() + m.body_tail.size(), m.meta_pre.size() + m.meta_post.size(),
                    field(m, "X-Rspamd-from").c_str(), n, field(m, "X-Rspamd-subject").c_str());
    }
}

int RunBench(const Options& o) {
    auto msgs = LoadMessages(o);
    if (o.list) {
        ListMessages(msgs);
        return 0;
    }
    std::size_t total_bytes = 0;
    for (const auto& m : msgs) total_bytes += m.body_head.size() + m.body_tail.size();
    Bench bench(o, std::move(msgs));
    const auto& ms = bench.messages();

    if (o.warmup > 0) bench.Run(Phase{o.warmup, std::nullopt, 'W'});

    std::uint64_t limit = UINT64_MAX;
    if (o.requests)
        limit = *o.requests;
    else if (!o.duration_s)
        limit = o.dir.empty() ? 1000 : ms.size();
    std::optional<Clock::time_point> deadline;
    if (o.duration_s)
        deadline =
            Clock::now() + std::chrono::microseconds(static_cast<long long>(*o.duration_s * 1e6));

    double cpu0 = CpuSeconds();
    auto t0 = Clock::now();
    auto results = bench.Run(Phase{limit, deadline, 'R'});
    double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    double cpu = CpuSeconds() - cpu0;

    WorkerResult all;
    for (auto& r : results) {
        all.requests += r.requests;
        all.ok += r.ok;
        all.bytes += r.bytes;
        all.latency_us.insert(all.latency_us.end(), r.latency_us.begin(), r.latency_us.end());
        for (auto& [k, v] : r.by_status) all.by_status[k] += v;
        for (auto& [k, v] : r.by_error) all.by_error[k] += v;
        for (auto& f : r.failures) all.failures.push_back(std::move(f));
    }
    std::sort(all.latency_us.begin(), all.latency_us.end());
    double mean = 0;
    for (auto v : all.latency_us) mean += v;
    mean = all.latency_us.empty() ? 0 : mean / static_cast<double>(all.latency_us.size()) / 1000.0;
    double rps = elapsed > 0 ? static_cast<double>(all.requests) / elapsed : 0;
    double ok_rps = elapsed > 0 ? static_cast<double>(all.ok) / elapsed : 0;
    std::uint64_t errors = all.requests - all.ok;

    // Refused messages (first failure per message), in message order.
    std::map<std::size_t, const Failure*> refused;
    for (const auto& f : all.failures) refused.try_emplace(f.message, &f);
    auto failure_text = [](const Failure& f) {
        return f.status != 0 ? std::to_string(f.status) : f.error;
    };

    if (o.json) {
        std::printf(
            "{\"host\":\"%s\",\"port\":%d,\"path\":\"%s\",\"concurrency\":%d,"
            "\"keepalive\":%s,\"messages\":%zu,\"avg_message_bytes\":%zu,"
            "\"warmup\":%llu,\"requests\":%llu,\"ok\":%llu,\"errors\":%llu,"
            "\"duration_s\":%.3f,\"req_per_s\":%.1f,\"msgs_per_s\":%.1f,"
            "\"mbytes_per_s\":%.2f,\"latency_ms\":{\"mean\":%.3f,\"p50\":%.3f,"
            "\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},\"client_cpu_ms\":%.1f,"
            "\"client_cpu_us_per_req\":%.1f,\"client_cpu_pct_of_core\":%.1f,",
            rqwatch::util::JsonEscaped(o.host).c_str(), o.port, rqwatch::util::JsonEscaped(o.path).c_str(), o.concurrency,
            o.keepalive ? "true" : "false", ms.size(), total_bytes / ms.size(),
            static_cast<unsigned long long>(o.warmup),
            static_cast<unsigned long long>(all.requests), static_cast<unsigned long long>(all.ok),
            static_cast<unsigned long long>(errors), elapsed, rps, ok_rps,
            static_cast<double>(all.bytes) / elapsed / 1e6, mean, Percentile(all.latency_us, 0.50),
            Percentile(all.latency_us, 0.90), Percentile(all.latency_us, 0.99),
            Percentile(all.latency_us, 1.0), cpu * 1000,
            all.requests ? cpu * 1e6 / static_cast<double>(all.requests) : 0,
            elapsed > 0 ? cpu / elapsed * 100 : 0);
        std::printf("\"status\":{");
        bool first = true;
        for (auto& [k, v] : all.by_status) {
            std::printf("%s\"%d\":%llu", first ? "" : ",", k, static_cast<unsigned long long>(v));
            first = false;
        }
        std::printf("},\"socket_errors\":{");
        first = true;
        for (auto& [k, v] : all.by_error) {
            std::printf("%s\"%s\":%llu", first ? "" : ",", rqwatch::util::JsonEscaped(k).c_str(),
                        static_cast<unsigned long long>(v));
            first = false;
        }
        std::printf("},\"refused\":[");
        first = true;
        for (auto& [mi, f] : refused) {
            std::printf("%s{\"file\":\"%s\",\"result\":\"%s\"}", first ? "" : ",",
                        rqwatch::util::JsonEscaped(ms[mi].name).c_str(), rqwatch::util::JsonEscaped(failure_text(*f)).c_str());
            first = false;
        }
        std::printf("]}\n");
    } else {
        std::printf("target      http://%s:%d%s\n", o.host.c_str(), o.port, o.path.c_str());
        std::printf("messages    %zu (avg %zu bytes), concurrency %d, %s, warm-up %llu\n",
                    ms.size(), total_bytes / ms.size(), o.concurrency,
                    o.keepalive ? "keep-alive" : "connection per request",
                    static_cast<unsigned long long>(o.warmup));
        std::printf("requests    %llu  ok(200) %llu  errors %llu\n",
                    static_cast<unsigned long long>(all.requests),
                    static_cast<unsigned long long>(all.ok),
                    static_cast<unsigned long long>(errors));
        std::printf("throughput  %.1f req/s, %.1f ok msgs/s, %.1f MB/s over %.2f s\n", rps, ok_rps,
                    static_cast<double>(all.bytes) / elapsed / 1e6, elapsed);
        std::printf("latency ms  mean %.3f  p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", mean,
                    Percentile(all.latency_us, 0.50), Percentile(all.latency_us, 0.90),
                    Percentile(all.latency_us, 0.99), Percentile(all.latency_us, 1.0));
        std::printf("client cpu  %.0f ms (%.1f us/request, %.0f%% of one core)\n", cpu * 1000,
                    all.requests ? cpu * 1e6 / static_cast<double>(all.requests) : 0,
                    elapsed > 0 ? cpu / elapsed * 100 : 0);
        for (auto& [k, v] : all.by_status)
            if (k != 200) std::printf("status %d    %llu\n", k, static_cast<unsigned long long>(v));
        for (auto& [k, v] : all.by_error)
            std::printf("error       %s: %llu\n", k.c_str(), static_cast<unsigned long long>(v));
        if (!o.dir.empty()) {
            std::printf("refused     %zu message(s)\n", refused.size());
            for (auto& [mi, f] : refused)
                std::printf("  %s: %s\n", ms[mi].name.c_str(), failure_text(*f).c_str());
        }
    }
    return errors == 0 && all.requests > 0 ? 0 : 1;
}

// ---------------------------------------------------------------------------
// No-op server: answers 200 "OK" to every request (reads and drops the body).

void NoopConnection(int fd) {
    std::vector<char> buf(256 * 1024);
    std::size_t len = 0;
    static constexpr std::string_view kKeep =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nOK";
    static constexpr std::string_view kClose =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: "
        "close\r\n\r\nOK";
    for (;;) {
        std::size_t header_end;
        while ((header_end = std::string_view(buf.data(), len).find("\r\n\r\n")) ==
               std::string_view::npos) {
            if (len == buf.size()) buf.resize(buf.size() * 2);
            ssize_t n = ::recv(fd, buf.data() + len, buf.size() - len, 0);
            if (n <= 0) return;
            len += static_cast<std::size_t>(n);
        }
        std::string_view head(buf.data(), header_end);
        std::size_t body = 0;
        bool close = false;
        std::size_t pos = 0;
        while ((pos = head.find("\r\n", pos)) != std::string_view::npos) {
            pos += 2;
            std::size_t eol = head.find("\r\n", pos);
            std::string_view line =
                head.substr(pos, (eol == std::string_view::npos ? head.size() : eol) - pos);
            auto colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            auto name = Trim(line.substr(0, colon));
            auto value = Trim(line.substr(colon + 1));
            if (IEquals(name, "Content-Length"))
                std::from_chars(value.data(), value.data() + value.size(), body);
            else if (IEquals(name, "Connection") && IEquals(value, "close"))
                close = true;
        }
        std::size_t need = header_end + 4 + body;
        std::size_t have = std::min(len, need);
        std::size_t rest = len - have;
        // Drain the body without keeping it.
        std::size_t missing = need - have;
        while (missing > 0) {
            ssize_t n = ::recv(fd, buf.data(), std::min(buf.size(), missing), 0);
            if (n <= 0) return;
            missing -= static_cast<std::size_t>(n);
        }
        std::memmove(buf.data(), buf.data() + have, rest);
        len = rest;
        auto reply = close ? kClose : kKeep;
        if (::send(fd, reply.data(), reply.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(reply.size()))
            return;
        if (close) return;
    }
}

int ServeNoop(const Options& o) {
    Target t = Resolve(o.host, o.port);
    int lfd = ::socket(t.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(lfd, reinterpret_cast<const sockaddr*>(&t.addr), t.addr_len) != 0 ||
        ::listen(lfd, 4096) != 0) {
        std::fprintf(stderr, "rqwatch-bench: cannot listen on %s:%d: %s\n", o.host.c_str(), o.port,
                     std::strerror(errno));
        return 2;
    }
    std::fprintf(stderr, "rqwatch-bench: no-op server on %s:%d\n", o.host.c_str(), o.port);
    // A fixed pool of threads, each accepting and serving one connection at
    // a time: enough for keep-alive clients up to the pool size.
    std::vector<std::thread> pool;
    for (int i = 0; i < 128; ++i) {
        pool.emplace_back([lfd] {
            for (;;) {
                int fd = ::accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
                if (fd < 0) {
                    if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE) continue;
                    return;
                }
                int nd = 1;
                ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nd, sizeof nd);
                NoopConnection(fd);
                ::close(fd);
            }
        });
    }
    for (auto& th : pool) th.join();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o = ParseOptions(argc, argv);
    if (o.serve_noop) return ServeNoop(o);
    return RunBench(o);
}
