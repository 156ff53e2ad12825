#include "mime/text.hpp"

#include "util/ascii.hpp"

#include "mime/parse_mail.hpp"

namespace rqwatch::mime {

std::string CleanLine(std::string_view s) {
    const std::string valid = ToValidUtf8(s);
    std::string out;
    out.reserve(valid.size());
    bool pending_space = false;
    for (std::size_t i = 0; i < valid.size(); ++i) {
        const auto byte = static_cast<unsigned char>(valid[i]);
        bool is_space = byte <= 0x20 || byte == 0x7F;
        std::size_t length = 1;
        // C1 controls (U+0080..U+009F) are encoded as C2 80..C2 9F; they are
        // invisible and some terminals act on them, so they count as space too.
        if (byte == 0xC2 && i + 1 < valid.size()) {
            const auto next = static_cast<unsigned char>(valid[i + 1]);
            if (next >= 0x80 && next <= 0x9F) {
                is_space = true;
                length = 2;
            }
        }
        if (is_space) {
            pending_space = !out.empty();
            i += length - 1;
            continue;
        }
        if (pending_space) {
            out.push_back(' ');
            pending_space = false;
        }
        out.push_back(valid[i]);
    }
    return out;
}

std::string AsciiLower(std::string_view s) { return util::AsciiLower(s); }

}  // namespace rqwatch::mime
