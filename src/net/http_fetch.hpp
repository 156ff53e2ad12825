#pragma once
// Small blocking HTTP(S) requests with libcurl (an OpenID provider, other
// rqwatch nodes):
// no redirects followed, http and https only, certificates and host names
// always checked, a time limit, and a cap on the answer's size.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::net {

struct FetchOptions {
    std::int64_t timeout_ms = 10000;
    std::string ca_file;                   // "" = the system's CAs
    std::size_t max_body_bytes = 1 << 20;  // larger answers fail (kUnavailable)
    std::string accept = "application/json";
    std::vector<std::string> headers;      // more request headers, "Name: value"
};

struct FetchReply {
    long status = 0;
    std::string body;
};

// Any HTTP status is a reply; kUnavailable when no answer came (DNS,
// connection, TLS, timeout, too large).
[[nodiscard]] Result<FetchReply> HttpGet(const std::string& url, const FetchOptions& options);
[[nodiscard]] Result<FetchReply> HttpDelete(const std::string& url, const FetchOptions& options);
// POST application/x-www-form-urlencoded `form` with an Authorization header.
[[nodiscard]] Result<FetchReply> HttpPostForm(const std::string& url, const std::string& form,
                                              const std::string& authorization,
                                              const FetchOptions& options);

// Percent-encodes everything but ALPHA / DIGIT / "-._~" (form values, query
// parameters, client credentials for HTTP Basic as RFC 6749 §2.3.1 wants).
[[nodiscard]] std::string PercentEncode(std::string_view text);

}  // namespace rqwatch::net
