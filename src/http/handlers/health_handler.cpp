#include "http/handlers/api_handlers.hpp"

namespace rqwatch::http {

void AddHealthRoutes(Router& router, HealthProbe probe) {
    router.Add(bhttp::verb::get, "/healthz", [probe = std::move(probe)](Request&) {
        return Response::Json(bhttp::status::ok, probe().dump());
    });
}

}  // namespace rqwatch::http
