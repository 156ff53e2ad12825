#pragma once
// The API representation of a stored mail (snake_case JSON).

#include <nlohmann/json.hpp>

#include "core/mail.hpp"

namespace rqwatch::http {

[[nodiscard]] nlohmann::json MailToJson(const MailRecord& m);

}  // namespace rqwatch::http
