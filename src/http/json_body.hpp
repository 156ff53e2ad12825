#pragma once
// Reading JSON request bodies for the state-changing API routes. A body
// must be application/json (a cross-site HTML form cannot send that, which
// adds to the CSRF token) and an object; unknown keys are errors, so that
// a typo ("admin" for "is_admin") is not silently ignored.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/types.hpp"

namespace rqwatch::http {

// The body as a JSON object whose keys are all in `allowed`.
[[nodiscard]] Result<nlohmann::json> JsonObjectBody(const Request& req,
                                                    std::initializer_list<std::string_view> allowed);

// A key's value when present; kInvalidArgument naming the key when it has
// another type. Strings are at most `max_bytes` long.
[[nodiscard]] Result<std::optional<std::string>> OptionalString(const nlohmann::json& body,
                                                                std::string_view key,
                                                                std::size_t max_bytes = 1024);
[[nodiscard]] Result<std::optional<bool>> OptionalBool(const nlohmann::json& body,
                                                       std::string_view key);
// A whole number in [min, max] (not 1.5, not "7").
[[nodiscard]] Result<std::optional<std::int64_t>> OptionalInteger(const nlohmann::json& body,
                                                                  std::string_view key,
                                                                  std::int64_t min,
                                                                  std::int64_t max);
[[nodiscard]] Result<std::optional<std::vector<std::string>>> OptionalStringList(
    const nlohmann::json& body, std::string_view key);

// The positive integer of path parameter `name` ({id}); kInvalidArgument otherwise.
[[nodiscard]] Result<std::int64_t> PathId(const Request& req, std::string_view name = "id");

}  // namespace rqwatch::http
