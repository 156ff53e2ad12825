#pragma once
// Where a browser may be sent after a login: only a path of this site.

#include <string>
#include <string_view>

namespace rqwatch::http {

// `wanted` when it is a same-origin relative path ("/mails?id=3"): starts
// with one "/", no "//" or "/\" at the start (a browser reads those as
// another host), no backslash, control or non-ASCII byte, at most 1024
// bytes. "/" for anything else, so that nobody can use the login to send
// users to another site (open redirect).
[[nodiscard]] std::string SafeReturnPath(std::string_view wanted);

}  // namespace rqwatch::http
