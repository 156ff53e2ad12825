#pragma once
// The status line and header block of a response, written in one string.
//
// Beast's serializer walks a chain of buffer views per field; for the small
// answers that make up most of the traffic (a map poll's 304, an ingest's
// 200) it was a fifth of the CPU of the whole request. The framing rules are
// the ones Beast's prepare_payload applies: no Content-Length on 1xx, 204 and
// 304; a HEAD answer announces the length of the GET body it does not carry.

#include <cstddef>
#include <string>
#include <string_view>

#include "http/types.hpp"

namespace rqwatch::http {

struct HeadFraming {
    std::size_t body_size = 0;  // of the representation (a HEAD answer's GET body)
    bool close = false;         // "Connection: close"
    std::string_view request_id;
};

// Whether a response of this status carries no body and no Content-Length.
[[nodiscard]] bool StatusHasNoBody(bhttp::status status);

// "HTTP/1.1 …\r\n" … "\r\n" for `r`: Server and X-Request-Id first, then,
// except on a 304 (RFC 9110 §15.4.5: the client keeps the stored 200's
// fields), Content-Type and the security headers, each replaced by a handler
// header of the same name; then the handler's headers (the last of a name
// wins, except Set-Cookie, which may repeat); the framing fields are ours, a
// handler's Content-Length, Transfer-Encoding or Connection is dropped. CR, LF
// and NUL in a value become spaces: a value may quote mail content.
[[nodiscard]] std::string ResponseHead(const Response& r, const HeadFraming& framing);

}  // namespace rqwatch::http
