#pragma once
// Transport-level request/response values handed to handlers.

#include <boost/beast/http.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace rqwatch::http {

namespace bhttp = boost::beast::http;

struct Request {
    bhttp::verb method = bhttp::verb::get;
    std::string path;                          // decoded path, no query
    std::map<std::string, std::string> query;  // decoded query parameters (last wins)
    std::vector<std::pair<std::string, std::string>> query_list;  // all of them, in order
    std::map<std::string, std::string> path_params;  // from the route pattern, e.g. {id}
    const bhttp::request<bhttp::string_body>* raw = nullptr;
    std::string client_ip;
    std::string request_id;
};

struct Response {
    bhttp::status status = bhttp::status::ok;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    bool close = false;  // close the connection after sending

    static Response Json(bhttp::status status, std::string body) {
        return Response{status, "application/json", std::move(body), {}, false};
    }
    static Response Text(bhttp::status status, std::string body) {
        return Response{status, "text/plain; charset=utf-8", std::move(body), {}, false};
    }
    // 302 Found: where a browser navigation goes next.
    static Response Redirect(std::string location) {
        Response r{bhttp::status::found, "text/plain; charset=utf-8", {}, {}, false};
        r.headers.emplace_back("Location", std::move(location));
        return r;
    }
};

}  // namespace rqwatch::http
