// DecodeHeaderValue: the X-Rspamd-subject style values that arrive outside of
// a parsed message (raw UTF-8, RFC 2047 encoded-words, or stray 8-bit bytes).

#include <gmime/gmime.h>

#include <string>
#include <string_view>

#include "mime/gmime_init.hpp"
#include "mime/gmime_ptr.hpp"
#include "mime/parse_mail.hpp"
#include "mime/rfc2047.hpp"
#include "mime/text.hpp"

namespace rqwatch::mime {

std::string DecodeHeaderValue(std::string_view value) {
    try {
        // GMime takes a C string: an embedded NUL would silently cut the value.
        std::string input(value);
        for (char& c : input) {
            if (c == '\0') c = ' ';
        }
        // Raw 8-bit text between encoded-words is converted by GMime with the
        // fallback charsets (UTF-8, then Windows-1252) of ParserOptions().
        input = WithoutBase64Words(input);
        GCharPtr decoded(g_mime_utils_header_decode_text(ParserOptions(), input.c_str()));
        // CleanLine validates UTF-8 again: an encoded-word that claims UTF-8
        // but carries other bytes is passed through by GMime unchanged.
        return CleanLine(decoded ? std::string_view(decoded.get()) : std::string_view(input));
    } catch (...) {
        // Only allocation failure can throw here; never let it reach the caller.
        return {};
    }
}

}  // namespace rqwatch::mime
