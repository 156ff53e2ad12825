#include "storage/mail_json.hpp"

#include <fmt/format.h>

#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/symbol_json.hpp"
#include "util/json_string.hpp"

namespace rqwatch::storage {
namespace {

using nlohmann::json;

// Writing goes straight to a string instead of through a json DOM: it runs
// for every stored mail (three documents each) and the DOM's allocations
// were a tenth of the ingest cost.

// Parses a JSON array and converts each element with `convert`; any parse or
// type error becomes kInternal (the row was not written by us, or is damaged).
template <class T, class Convert>
Result<std::vector<T>> ParseArray(std::string_view text, const char* what, Convert convert) {
    try {
        const json doc = json::parse(text);
        if (!doc.is_array()) {
            return Fail(ErrorCode::kInternal, "stored mail is damaged",
                        std::string(what) + " is not a JSON array");
        }
        std::vector<T> out;
        out.reserve(doc.size());
        for (const json& item : doc) {
            if (!item.is_object()) {
                return Fail(ErrorCode::kInternal, "stored mail is damaged",
                            std::string(what) + " holds a non-object element");
            }
            out.push_back(convert(item));
        }
        return out;
    } catch (const json::exception& e) {
        return Fail(ErrorCode::kInternal, "stored mail is damaged",
                    std::string(what) + ": " + e.what());
    }
}

std::string Str(const json& j, const char* key) {
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

std::vector<std::string> StrList(const json& j, const char* key) {
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? std::vector<std::string>()
                                          : it->get<std::vector<std::string>>();
}

}  // namespace


Result<std::vector<Symbol>> SymbolsFromJson(std::string_view text) {
    return ParseArray<Symbol>(text, "symbols_json", [](const json& j) {
        Symbol s;
        s.name = Str(j, "name");
        const auto score = j.find("score");
        s.score = score != j.end() && score->is_number() ? score->get<double>() : 0.0;
        s.group = Str(j, "group");
        s.groups = StrList(j, "groups");
        s.options = StrList(j, "options");
        return s;
    });
}

std::string AddressesToJson(const std::vector<MailAddress>& addresses) {
    std::string out = "[";
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        if (i != 0) out += ',';
        out += '{';
        util::AppendJsonKey(out, "name");
        util::AppendJsonString(out, addresses[i].name);
        out += ',';
        util::AppendJsonKey(out, "address");
        util::AppendJsonString(out, addresses[i].address);
        out += '}';
    }
    out += ']';
    return out;
}

Result<std::vector<MailAddress>> AddressesFromJson(std::string_view text) {
    return ParseArray<MailAddress>(text, "address list", [](const json& j) {
        return MailAddress{Str(j, "name"), Str(j, "address")};
    });
}

std::string AttachmentsToJson(const std::vector<Attachment>& attachments) {
    std::string out = "[";
    for (std::size_t i = 0; i < attachments.size(); ++i) {
        if (i != 0) out += ',';
        out += '{';
        util::AppendJsonKey(out, "filename");
        util::AppendJsonString(out, attachments[i].filename);
        out += ',';
        util::AppendJsonKey(out, "content_type");
        util::AppendJsonString(out, attachments[i].content_type);
        out += ',';
        util::AppendJsonKey(out, "size");
        fmt::format_to(std::back_inserter(out), "{}", attachments[i].size);
        out += '}';
    }
    out += ']';
    return out;
}

Result<std::vector<Attachment>> AttachmentsFromJson(std::string_view text) {
    return ParseArray<Attachment>(text, "attachments_json", [](const json& j) {
        Attachment a;
        a.filename = Str(j, "filename");
        a.content_type = Str(j, "content_type");
        a.size = j.value("size", std::uint64_t{0});
        return a;
    });
}

}  // namespace rqwatch::storage
