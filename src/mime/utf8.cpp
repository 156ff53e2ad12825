// ToValidUtf8: the mime layer's name for the one Windows-1252 fallback in core/utf8.

#include "core/utf8.hpp"

#include "mime/parse_mail.hpp"

namespace rqwatch::mime {

std::string ToValidUtf8(std::string_view s) { return Utf8OrCp1252(s); }

}  // namespace rqwatch::mime
