#include "storage/mail_json.hpp"

#include <nlohmann/json.hpp>

namespace rqwatch::storage {
namespace {

using nlohmann::json;

std::string Dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

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
        for (const json& item : doc) out.push_back(convert(item));
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

std::string SymbolsToJson(const std::vector<Symbol>& symbols) {
    json out = json::array();
    for (const Symbol& s : symbols) {
        out.push_back({{"name", s.name},
                       {"score", s.score},
                       {"group", s.group},
                       {"groups", s.groups},
                       {"options", s.options}});
    }
    return Dump(out);
}

Result<std::vector<Symbol>> SymbolsFromJson(std::string_view text) {
    return ParseArray<Symbol>(text, "symbols_json", [](const json& j) {
        Symbol s;
        s.name = Str(j, "name");
        s.score = j.value("score", 0.0);
        s.group = Str(j, "group");
        s.groups = StrList(j, "groups");
        s.options = StrList(j, "options");
        return s;
    });
}

std::string AddressesToJson(const std::vector<MailAddress>& addresses) {
    json out = json::array();
    for (const MailAddress& a : addresses) {
        out.push_back({{"name", a.name}, {"address", a.address}});
    }
    return Dump(out);
}

Result<std::vector<MailAddress>> AddressesFromJson(std::string_view text) {
    return ParseArray<MailAddress>(text, "address list", [](const json& j) {
        return MailAddress{Str(j, "name"), Str(j, "address")};
    });
}

std::string AttachmentsToJson(const std::vector<Attachment>& attachments) {
    json out = json::array();
    for (const Attachment& a : attachments) {
        out.push_back(
            {{"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size}});
    }
    return Dump(out);
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
