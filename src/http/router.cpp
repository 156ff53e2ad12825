#include "http/router.hpp"

namespace rqwatch::http {
namespace {

std::vector<std::string> Split(const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 1;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        out.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segs,
             std::map<std::string, std::string>* params) {
    if (pattern.size() != segs.size()) return false;
    for (std::size_t i = 0; i < segs.size(); ++i) {
        const auto& p = pattern[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
            if (segs[i].empty()) return false;
            if (params) (*params)[p.substr(1, p.size() - 2)] = segs[i];
        } else if (p != segs[i]) {
            return false;
        }
    }
    return true;
}

}  // namespace

void Router::Add(bhttp::verb method, std::string pattern, Handler handler, FastHandler fast) {
    routes_.push_back(Route{method, Split(pattern), std::move(handler), std::move(fast)});
}

Router::Match Router::Find(Request& request, Handler& out, FastHandler* fast) const {
    const auto segs = Split(request.path);
    bool path_known = false;
    for (const auto& r : routes_) {
        if (!Matches(r.segments, segs, nullptr)) continue;
        path_known = true;
        const bool method_ok = r.method == request.method || (r.method == bhttp::verb::get &&
                                                              request.method == bhttp::verb::head);
        if (method_ok) {
            Matches(r.segments, segs, &request.path_params);
            out = r.handler;
            if (fast) *fast = r.fast;
            return Match::kFound;
        }
    }
    return path_known ? Match::kMethodNotAllowed : Match::kNotFound;
}

bool Router::HasPath(const std::string& path) const {
    const auto segs = Split(path);
    for (const auto& r : routes_) {
        if (Matches(r.segments, segs, nullptr)) return true;
    }
    return false;
}

}  // namespace rqwatch::http
