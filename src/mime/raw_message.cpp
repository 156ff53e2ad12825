#include "mime/raw_message.hpp"

namespace rqwatch::mime {

std::string_view SkipMboxFromLine(std::string_view raw) {
    if (!raw.starts_with("From ")) return raw;
    const auto eol = raw.find('\n');
    return eol == std::string_view::npos ? std::string_view{} : raw.substr(eol + 1);
}

std::string_view RawHeaderBlock(std::string_view message) {
    // Only search as far as the cap (plus room for one "\r\n\r\n"), so a
    // header-only megabyte message costs no more than a normal one.
    const std::string_view window = message.substr(0, kMaxHeaderBlock + 4);

    std::size_t end = window.size();
    if (window.starts_with("\n") || window.starts_with("\r\n")) {
        end = 0;
    } else {
        // The empty line is a line end directly followed by another (LF or
        // CRLF, in any mix); the block keeps the first of the two.
        for (std::size_t pos = window.find('\n'); pos != std::string_view::npos;
             pos = window.find('\n', pos + 1)) {
            const std::size_t next = pos + 1;
            if (next < window.size() &&
                (window[next] == '\n' ||
                 (window[next] == '\r' && next + 1 < window.size() && window[next + 1] == '\n'))) {
                end = next;
                break;
            }
        }
    }

    std::string_view block = window.substr(0, end);
    if (block.size() > kMaxHeaderBlock) {
        block = block.substr(0, kMaxHeaderBlock);
        // Cut after a whole line so no multibyte character is split.
        const auto last_eol = block.rfind('\n');
        if (last_eol != std::string_view::npos) {
            block = block.substr(0, last_eol + 1);
        } else {
            // One giant line: at least do not split a UTF-8 sequence.
            std::size_t cut = block.size();
            for (int i = 0;
                 i < 3 && cut > 0 && (static_cast<unsigned char>(block[cut - 1]) & 0xC0) == 0x80;
                 ++i) {
                --cut;
            }
            if (cut > 0 && static_cast<unsigned char>(block[cut - 1]) >= 0xC0) --cut;
            block = block.substr(0, cut);
        }
    }
    return block;
}

}  // namespace rqwatch::mime
