#include "rspamd/ingest_metadata.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/symbol_json.hpp"
#include "util/ascii.hpp"
#include "util/json_string.hpp"
#include "core/utf8.hpp"
#include "rspamd/symbols_sax.hpp"

namespace rqwatch::rspamd {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxFieldBytes = 64 * 1024;

// Rspamd writes the literal "unknown" for absent scalars.
std::string Scalar(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    if (v == "unknown") return {};
    std::string out = Utf8OrCp1252(v);
    CutUtf8(out, kMaxFieldBytes);
    return out;
}

Result<double> ParseScore(std::string_view text) {
    std::string_view t = text;
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc{} || end != t.data() + t.size() || !std::isfinite(v)) {
        return Fail(ErrorCode::kInvalidArgument, "score is not a number");
    }
    return v;
}

std::optional<json> ParseJson(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return std::nullopt;
    return j;
}

std::string JsonString(const json& j) {
    if (j.is_string()) return Scalar(j.get_ref<const std::string&>());
    if (j.is_number()) return j.dump();
    return {};
}

// A recipient list is a JSON array of strings, or "unknown"/absent.
Result<std::vector<std::string>> ParseRcpt(const json& j, const char* what) {
    std::vector<std::string> out;
    if (j.is_null() || (j.is_string() && (j == "unknown" || j == ""))) return out;
    if (j.is_string()) {  // a single address
        out.push_back(Scalar(j.get_ref<const std::string&>()));
        return out;
    }
    if (!j.is_array()) {
        return Fail(ErrorCode::kInvalidArgument,
                    std::string(what) + " is not a JSON array of addresses");
    }
    for (const auto& a : j) {
        if (!a.is_string()) {
            return Fail(ErrorCode::kInvalidArgument,
                        std::string(what) + " is not a JSON array of addresses");
        }
        std::string s = Scalar(a.get_ref<const std::string&>());
        if (!s.empty()) out.push_back(std::move(s));
    }
    return out;
}

std::vector<std::string> StringList(const json& j) {
    std::vector<std::string> out;
    if (j.is_array()) {
        for (const auto& v : j) {
            if (std::string s = JsonString(v); !s.empty()) out.push_back(std::move(s));
        }
    } else if (std::string s = JsonString(j); !s.empty()) {
        out.push_back(std::move(s));
    }
    return out;
}

// Inside symbols "unknown" is ordinary text; only scalar metadata uses it for "absent".
std::string SymbolText(const json& j) {
    if (j.is_string()) return Utf8OrCp1252(j.get_ref<const std::string&>());
    if (j.is_number()) return j.dump();
    return {};
}

std::vector<std::string> SymbolTextList(const json& j) {
    std::vector<std::string> out;
    for (const auto& v : j.is_array() ? j : json::array({j})) {
        if (std::string s = SymbolText(v); !s.empty()) out.push_back(std::move(s));
    }
    return out;
}

Result<Symbol> ParseSymbol(const json& s, const std::string& name_hint) {
    if (!s.is_object())
        return Fail(ErrorCode::kInvalidArgument, "symbols: each entry must be an object");
    Symbol sym;
    sym.name = s.contains("name") ? SymbolText(s["name"]) : name_hint;
    if (sym.name.empty()) return Fail(ErrorCode::kInvalidArgument, "symbols: an entry has no name");
    if (auto it = s.find("score"); it != s.end()) {
        if (it->is_number()) {
            sym.score = it->get<double>();
        } else if (it->is_string()) {
            auto v = ParseScore(it->get_ref<const std::string&>());
            if (!v)
                return Fail(ErrorCode::kInvalidArgument,
                            "symbols: score of " + sym.name + " is not a number");
            sym.score = *v;
        }
    }
    if (auto it = s.find("group"); it != s.end()) sym.group = SymbolText(*it);
    if (auto it = s.find("groups"); it != s.end()) sym.groups = SymbolTextList(*it);
    if (auto it = s.find("options"); it != s.end()) sym.options = SymbolTextList(*it);
    return sym;
}

// Rspamd sends an array of {name, score, ...}; some versions/formatters a map name -> {...}.
Result<std::vector<Symbol>> ParseSymbols(const json& j) {
    std::vector<Symbol> out;
    if (j.is_null()) return out;
    if (j.is_array()) {
        for (const auto& s : j) {
            auto sym = ParseSymbol(s, "");
            if (!sym) return std::unexpected(sym.error());
            out.push_back(std::move(*sym));
        }
        return out;
    }
    if (j.is_object()) {
        for (const auto& [name, s] : j.items()) {
            auto sym = ParseSymbol(s, Utf8OrCp1252(name));
            if (!sym) return std::unexpected(sym.error());
            out.push_back(std::move(*sym));
        }
        return out;
    }
    return Fail(ErrorCode::kInvalidArgument, "symbols is not a JSON array");
}

Result<void> RequireActionAndScore(IngestMetadata& m, const std::optional<std::string_view>& action,
                                   const std::optional<std::string_view>& score, const char* hint) {
    if (!action || Scalar(*action).empty()) {
        return Fail(ErrorCode::kInvalidArgument, std::string("missing action") + hint);
    }
    m.action = util::AsciiLower(Scalar(*action));
    if (!score) return Fail(ErrorCode::kInvalidArgument, std::string("missing score") + hint);
    auto v = ParseScore(*score);
    if (!v) return std::unexpected(v.error());
    m.score = *v;
    return {};
}

std::int64_t ParseScanTime(std::string_view v) {
    std::int64_t ms = -1;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
    return (ec == std::errc{} && end == v.data() + v.size() && ms >= 0) ? ms : -1;
}

}  // namespace

Result<IngestMetadata> MetadataFromHeaders(const HeaderLookup& header) {
    IngestMetadata m;
    constexpr const char* kHint =
        " (no X-Rspamd-action/X-Rspamd-score header: set meta_headers = true in the "
        "metadata_exporter rule)";
    if (auto r =
            RequireActionAndScore(m, header("x-rspamd-action"), header("x-rspamd-score"), kHint);
        !r) {
        return std::unexpected(r.error());
    }
    auto get = [&](std::string_view name) { return Scalar(header(name).value_or("")); };
    m.qid = get("x-rspamd-qid");
    m.ip = get("x-rspamd-ip");
    m.mail_from = get("x-rspamd-from");
    m.auth_user = get("x-rspamd-user");
    m.rspamd_server = get("x-rspamd-rspamd_server");
    m.subject = get("x-rspamd-subject");
    m.scan_time_ms = ParseScanTime(get("x-rspamd-scan_time"));

    if (auto rcpt = header("x-rspamd-rcpt"); rcpt && Scalar(*rcpt) != "") {
        auto j = ParseJson(*rcpt);
        if (!j) return Fail(ErrorCode::kInvalidArgument, "X-Rspamd-rcpt is not valid JSON");
        auto list = ParseRcpt(*j, "X-Rspamd-rcpt");
        if (!list) return std::unexpected(list.error());
        m.rcpt = std::move(*list);
    }
    if (auto syms = header("x-rspamd-symbols"); syms && Scalar(*syms) != "") {
        if (auto fast = ParseSymbolArray(*syms)) {  // the array Rspamd sends: no DOM
            if (!*fast) return std::unexpected(fast->error());
            m.symbols = std::move(**fast);
        } else {  // valid JSON but not an array: the map form, or an error from ParseSymbols
            auto j = ParseJson(*syms);
            if (!j) return Fail(ErrorCode::kInvalidArgument, "X-Rspamd-symbols is not valid JSON");
            auto list = ParseSymbols(*j);
            if (!list) return std::unexpected(list.error());
            m.symbols = std::move(*list);
        }
    }
    if (auto fuzzy = header("x-rspamd-fuzzy"); fuzzy && Scalar(*fuzzy) != "") {
        auto j = ParseJson(*fuzzy);
        if (!j || !j->is_array())
            return Fail(ErrorCode::kInvalidArgument, "X-Rspamd-fuzzy is not a JSON array");
        m.fuzzy_json = j->dump(-1, ' ', false, json::error_handler_t::replace);
    }
    return m;
}

Result<IngestMetadata> MetadataFromJson(std::string_view json_text) {
    auto parsed = ParseJson(json_text);
    if (!parsed) return Fail(ErrorCode::kInvalidArgument, "metadata is not a JSON object");
    return MetadataFromSpoolJson(*parsed);
}

Result<IngestMetadata> MetadataFromSpoolJson(const json& j) {
    if (!j.is_object()) return Fail(ErrorCode::kInvalidArgument, "metadata is not a JSON object");
    IngestMetadata m;
    auto text = [&](const char* key) -> std::optional<std::string> {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return std::nullopt;
        return it->is_string() ? it->get<std::string>() : it->dump();
    };
    auto action = text("action");
    auto score = text("score");
    std::optional<std::string_view> action_view, score_view;
    if (action) action_view = *action;
    if (score) score_view = *score;
    if (auto r = RequireActionAndScore(m, action_view, score_view, " in the metadata JSON"); !r) {
        return std::unexpected(r.error());
    }
    auto get = [&](const char* key) { return Scalar(text(key).value_or("")); };
    m.qid = get("qid");
    m.ip = get("ip");
    m.mail_from = get("from");
    m.auth_user = get("user");
    m.rspamd_server = get("rspamd_server");
    m.subject = get("subject");
    m.message_id = get("message_id");
    m.scan_time_ms = ParseScanTime(get("scan_time"));
    if (auto it = j.find("rcpt"); it != j.end()) {
        auto list = ParseRcpt(*it, "rcpt");
        if (!list) return std::unexpected(list.error());
        m.rcpt = std::move(*list);
    }
    if (auto it = j.find("symbols"); it != j.end()) {
        auto list = ParseSymbols(*it);
        if (!list) return std::unexpected(list.error());
        m.symbols = std::move(*list);
    }
    if (auto it = j.find("fuzzy"); it != j.end() && it->is_array()) {
        m.fuzzy_json = it->dump(-1, ' ', false, json::error_handler_t::replace);
    }
    if (auto it = j.find("header_from"); it != j.end()) m.header_from = StringList(*it);
    if (auto it = j.find("header_to"); it != j.end()) m.header_to = StringList(*it);
    if (m.subject.empty()) {
        if (auto it = j.find("header_subject"); it != j.end()) {
            auto subjects = StringList(*it);
            if (!subjects.empty()) m.subject = subjects.front();
        }
    }
    return m;
}

std::string MetadataToJsonText(const IngestMetadata& m) {
    std::string out;
    out.reserve(1024 + m.fuzzy_json.size() + 96 * m.symbols.size() + 48 * m.rcpt.size());
    auto key = [&](std::string_view k) {
        out += out.size() > 1 ? "," : "";
        util::AppendJsonKey(out, k);
    };
    auto text = [&](std::string_view k, std::string_view v) {
        key(k);
        util::AppendJsonString(out, v);
    };
    out += '{';
    text("qid", m.qid);
    text("action", m.action);
    key("score");
    util::AppendJsonNumber(out, m.score);
    text("ip", m.ip);
    text("from", m.mail_from);
    key("rcpt");
    util::AppendJsonStringList(out, m.rcpt);
    text("user", m.auth_user);
    text("rspamd_server", m.rspamd_server);
    key("scan_time");
    out += std::to_string(m.scan_time_ms);
    text("subject", m.subject);
    key("symbols");
    AppendSymbolsJson(out, m.symbols);
    key("fuzzy");
    out += m.fuzzy_json.empty() ? "[]" : m.fuzzy_json;  // re-serialised by us when it was parsed
    text("message_id", m.message_id);
    key("header_from");
    util::AppendJsonStringList(out, m.header_from);
    key("header_to");
    util::AppendJsonStringList(out, m.header_to);
    out += '}';
    return out;
}

json MetadataToJson(const IngestMetadata& m) { return json::parse(MetadataToJsonText(m)); }

}  // namespace rqwatch::rspamd
