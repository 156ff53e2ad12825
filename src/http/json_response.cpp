#include "http/json_response.hpp"

namespace rqwatch::http {

Response JsonResponse(bhttp::status status, const nlohmann::json& body) {
    return Response::Json(status,
                          body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace rqwatch::http
