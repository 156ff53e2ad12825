#pragma once
// Method + path-pattern routing for buffered (non-streaming) requests.
// Patterns are literal segments or {param}: "/api/v1/mails/{id}".

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/types.hpp"

namespace rqwatch::http {

using Handler = std::function<Response(Request&)>;
// Runs on the I/O thread, so it must never block (no SQL, no file, no
// network): it answers from memory, or returns nullopt and the route's
// Handler runs on a worker as usual. For hot paths whose answer is usually
// in memory (a map poll answered 304): the hop to a worker and back costs
// more than the answer, and a busy worker pool must not delay Rspamd.
using FastHandler = std::function<std::optional<Response>(Request&)>;

class Router {
  public:
    void Add(bhttp::verb method, std::string pattern, Handler handler, FastHandler fast = {});

    enum class Match { kFound, kNotFound, kMethodNotAllowed };
    // Fills request.path_params on success; `fast` (optional) gets the
    // route's FastHandler, empty when it has none.
    [[nodiscard]] Match Find(Request& request, Handler& out, FastHandler* fast = nullptr) const;
    // True when some route has this exact path (for choosing 405 vs 404 early).
    [[nodiscard]] bool HasPath(const std::string& path) const;

  private:
    struct Route {
        bhttp::verb method;
        std::vector<std::string> segments;
        Handler handler;
        FastHandler fast;
    };
    std::vector<Route> routes_;
};

}  // namespace rqwatch::http
