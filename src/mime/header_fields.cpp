#include "mime/header_fields.hpp"

#include <gmime/gmime.h>

#include <string>

#include "mime/opened_message.hpp"
#include "mime/parse_mail.hpp"
#include "mime/rfc2047.hpp"
#include "mime/text.hpp"

namespace rqwatch::mime {

std::vector<HeaderField> ParseHeaderFields(std::string_view block) {
    std::vector<HeaderField> out;
    try {
        // GMime's header parser (folding, odd line ends, missing colons);
        // the empty line makes the block a message without a body.
        std::string message(block);
        message += message.find("\r\n") != std::string::npos ? "\r\n\r\n" : "\n\n";
        const OpenedMessage opened(message, /*replace_nul=*/true);
        if (opened.Message() == nullptr) return out;
        GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(opened.Message()));
        if (headers == nullptr) return out;
        const int count = g_mime_header_list_get_count(headers);
        for (int i = 0; i < count && out.size() < kMaxHeaderFields; ++i) {
            GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
            if (header == nullptr) continue;
            // Decoded from the raw value: GMime's own decoding carries its
            // RFC 2047 bug (rfc2047.hpp).
            out.push_back(HeaderField{
                CleanLine(OrEmpty(g_mime_header_get_name(header))),
                DecodeHeaderValue(UnfoldHeaderValue(OrEmpty(g_mime_header_get_raw_value(header))))});
        }
    } catch (...) {
        // Only allocation failure can get here; what was parsed so far stands.
    }
    return out;
}

}  // namespace rqwatch::mime
