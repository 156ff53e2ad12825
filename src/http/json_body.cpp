#include "http/json_body.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "http/search_params.hpp"

namespace rqwatch::http {

using nlohmann::json;

Result<json> JsonObjectBody(const Request& req, std::initializer_list<std::string_view> allowed) {
    const std::string_view type = req.raw ? (*req.raw)[bhttp::field::content_type] : "";
    if (!type.starts_with("application/json")) {
        return Fail(ErrorCode::kInvalidArgument, "send the body as application/json");
    }
    json body = json::parse(req.raw->body(), nullptr, /*allow_exceptions=*/false);
    if (!body.is_object()) return Fail(ErrorCode::kInvalidArgument, "the body must be a JSON object");
    for (const auto& [key, value] : body.items()) {
        if (std::ranges::find(allowed, std::string_view(key)) == allowed.end()) {
            std::string names;
            for (std::string_view a : allowed) names += (names.empty() ? "" : ", ") + std::string(a);
            return Fail(ErrorCode::kInvalidArgument,
                        fmt::format("unknown field \"{}\"; expected one of: {}",
                                    key.size() > 64 ? key.substr(0, 64) + "…" : key, names));
        }
    }
    return body;
}

Result<std::optional<std::string>> OptionalString(const json& body, std::string_view key,
                                                  std::size_t max_bytes) {
    auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    if (!it->is_string()) return Fail(ErrorCode::kInvalidArgument, fmt::format("{} must be a string", key));
    std::string value = it->get<std::string>();
    if (value.size() > max_bytes) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} is longer than {} bytes", key, max_bytes));
    }
    return value;
}

Result<std::optional<bool>> OptionalBool(const json& body, std::string_view key) {
    auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    if (!it->is_boolean()) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("{} must be true or false", key));
    }
    return it->get<bool>();
}

Result<std::optional<std::int64_t>> OptionalInteger(const json& body, std::string_view key,
                                                    std::int64_t min, std::int64_t max) {
    auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    // Neither 1.5 nor "7"; an unsigned value may not fit an int64.
    std::optional<std::int64_t> value;
    if (it->is_number_unsigned()) {
        if (it->get<std::uint64_t>() <= static_cast<std::uint64_t>(max)) {
            value = it->get<std::int64_t>();
        }
    } else if (it->is_number_integer()) {
        value = it->get<std::int64_t>();
    }
    if (!value || *value < min || *value > max) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} must be a whole number from {} to {}", key, min, max));
    }
    return *value;
}

Result<std::optional<std::vector<std::string>>> OptionalStringList(const json& body,
                                                                   std::string_view key) {
    auto it = body.find(key);
    if (it == body.end()) return std::nullopt;
    const auto bad = [key] {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("{} must be a list of strings", key));
    };
    if (!it->is_array() || it->size() > 1000) return bad();
    std::vector<std::string> out;
    for (const json& v : *it) {
        if (!v.is_string() || v.get_ref<const std::string&>().size() > 1024) return bad();
        out.push_back(v.get<std::string>());
    }
    return out;
}

Result<std::int64_t> PathId(const Request& req, std::string_view name) {
    auto it = req.path_params.find(std::string(name));
    auto id = it == req.path_params.end() ? std::nullopt : ParseInteger(it->second);
    if (!id || *id < 1) {
        return Fail(ErrorCode::kInvalidArgument, fmt::format("{} must be a positive integer", name));
    }
    return *id;
}

}  // namespace rqwatch::http
