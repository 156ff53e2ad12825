#pragma once
// Method + path-pattern routing for buffered (non-streaming) requests.
// Patterns are literal segments or {param}: "/api/v1/mails/{id}".

#include <functional>
#include <string>
#include <vector>

#include "http/types.hpp"

namespace rqwatch::http {

using Handler = std::function<Response(Request&)>;

class Router {
  public:
    void Add(bhttp::verb method, std::string pattern, Handler handler);

    enum class Match { kFound, kNotFound, kMethodNotAllowed };
    // Fills request.path_params on success.
    [[nodiscard]] Match Find(Request& request, Handler& out) const;
    // True when some route has this exact path (for choosing 405 vs 404 early).
    [[nodiscard]] bool HasPath(const std::string& path) const;

  private:
    struct Route {
        bhttp::verb method;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
};

}  // namespace rqwatch::http
