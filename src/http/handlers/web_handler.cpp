// The single-page UI: index.html for `/` and every page path (`/mails`,
// `/mail`, ...; the SPA picks the page in the browser), and its files
// under /assets/. Embedded files are gzip: sent as they are to clients
// that accept gzip, inflated for the others.

#include <fmt/format.h>

#include <boost/beast/core/string.hpp>

#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/web_assets.hpp"

namespace rqwatch::http {
namespace {

namespace beast = boost::beast;

// The page itself may only load our own files and frame our own sandboxed
// mail bodies (GET /api/v1/mails/{id}/html sends a policy of its own).
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'";

bool IsPageName(std::string_view s) {
    if (s.empty() || s.size() > 32 || s.front() < 'a' || s.front() > 'z') return false;
    for (const char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    // These names lead to the API and other files, never to a page.
    return s != "api" && s != "assets" && s != "maps";
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// If-None-Match: "*" or a list of (possibly weak) entity tags.
bool NoneMatch(std::string_view header, std::string_view etag) {
    std::size_t start = 0;
    while (start <= header.size()) {
        auto end = header.find(',', start);
        if (end == std::string_view::npos) end = header.size();
        auto tag = Trim(header.substr(start, end - start));
        if (tag.starts_with("W/")) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) return true;
        start = end + 1;
    }
    return false;
}

// Accept-Encoding lists gzip without q=0.
bool AcceptsGzip(std::string_view header) {
    std::size_t start = 0;
    while (start <= header.size()) {
        auto end = header.find(',', start);
        if (end == std::string_view::npos) end = header.size();
        auto item = Trim(header.substr(start, end - start));
        const auto semi = item.find(';');
        const auto coding = Trim(item.substr(0, semi));
        if (beast::iequals(coding, "gzip") || coding == "*") {
            if (semi == std::string_view::npos) return true;
            auto params = Trim(item.substr(semi + 1));
            const bool zero = params == "q=0" || params == "q=0.0" || params == "q=0.00" ||
                              params == "q=0.000";
            return !zero;
        }
        start = end + 1;
    }
    return false;
}

Response NotFound(const Request& req, const char* what) {
    return JsonError(Error{ErrorCode::kNotFound, what, {}}, req.request_id);
}

Response Serve(const WebAssets& assets, const Request& req, std::string_view name) {
    auto found = assets.Find(name);
    if (!found) {
        return NotFound(req, name == "index.html" ? "the web UI is not built into this binary"
                                                  : "no such file");
    }
    const std::string etag = fmt::format("\"{}\"", found->sha256);
    const bool page = name == "index.html";
    const std::string cache =
        IsImmutableAsset(name) ? "public, max-age=31536000, immutable" : "no-cache";
    std::string_view if_none_match;
    std::string_view accept_encoding;
    if (req.raw != nullptr) {
        if_none_match = (*req.raw)[bhttp::field::if_none_match];
        accept_encoding = (*req.raw)[bhttp::field::accept_encoding];
    }
    Response r;
    r.content_type = AssetContentType(name);
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("Cache-Control", cache);
    r.headers.emplace_back("Vary", "Accept-Encoding");
    if (page) r.headers.emplace_back("Content-Security-Policy", kPagePolicy);
    if (!if_none_match.empty() && NoneMatch(if_none_match, etag)) {
        r.status = bhttp::status::not_modified;
        return r;
    }
    if (found->gzipped && AcceptsGzip(accept_encoding)) {
        r.headers.emplace_back("Content-Encoding", "gzip");
        r.body = std::move(found->bytes);
    } else if (found->gzipped) {
        auto plain = Gunzip(found->bytes);
        if (!plain) return JsonError(Error{ErrorCode::kInternal, "bad embedded file", {}}, req.request_id);
        r.body = std::move(*plain);
    } else {
        r.body = std::move(found->bytes);
    }
    return r;
}

}  // namespace

void AddWebRoutes(Router& router, const WebAssets& assets) {
    router.Add(bhttp::verb::get, "/",
               [&assets](Request& req) { return Serve(assets, req, "index.html"); });
    router.Add(bhttp::verb::get, "/{page}", [&assets](Request& req) {
        if (!IsPageName(req.path_params["page"])) return NotFound(req, "no such page");
        return Serve(assets, req, "index.html");
    });
    router.Add(bhttp::verb::get, "/assets/{file}", [&assets](Request& req) {
        return Serve(assets, req, fmt::format("assets/{}", req.path_params["file"]));
    });
}

}  // namespace rqwatch::http
