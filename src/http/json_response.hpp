#pragma once
// A JSON answer. Text from mail (subjects, addresses) may hold invalid
// UTF-8: it is replaced (U+FFFD), never a reason to fail the response.

#include <nlohmann/json.hpp>

#include "http/types.hpp"

namespace rqwatch::http {

[[nodiscard]] Response JsonResponse(bhttp::status status, const nlohmann::json& body);
[[nodiscard]] inline Response JsonOk(const nlohmann::json& body) {
    return JsonResponse(bhttp::status::ok, body);
}

}  // namespace rqwatch::http
