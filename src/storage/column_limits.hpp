#pragma once
// Longest values the schema keeps, in characters (code points), the same on
// every engine: MariaDB's VARCHAR(n) counts characters and refuses longer
// values in strict mode, and PostgreSQL refuses index entries beyond ~2700
// bytes. Without a cut, one hostile header would fail its whole import batch
// on those engines, again at every retry. The repositories cut values with
// CutToLimit() before binding them, so all engines store the same.

#include <cstddef>
#include <string>

namespace rqwatch::storage::limits {

inline constexpr std::size_t kShort = 255;    // server, qid, auth_user, virus, symbol names
inline constexpr std::size_t kAddress = 512;  // mail_from, recipients, message_id, paths
inline constexpr std::size_t kTimeZone = 64;  // users.time_zone (IANA names are shorter)
inline constexpr std::size_t kIp = 64;
inline constexpr std::size_t kAction = 64;
inline constexpr std::size_t kToken = 128;      // session keys, CSRF tokens (hex or base64)
inline constexpr std::size_t kText = 4096;      // subject, mime_from (TEXT: 64 KiB of bytes)
inline constexpr std::size_t kLarge = 4 << 20;  // headers, JSON lists (MEDIUMTEXT: 16 MiB)

// Cuts `value` to at most `max_chars` code points, never inside a UTF-8
// sequence. Counting lead bytes keeps this linear and allocation-free.
inline void CutToLimit(std::string& value, std::size_t max_chars) {
    if (value.size() <= max_chars) return;  // bytes >= characters
    std::size_t chars = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto byte = static_cast<unsigned char>(value[i]);
        if ((byte & 0xC0) != 0x80 && chars++ == max_chars) {
            value.resize(i);
            return;
        }
    }
}

inline std::string CutCopy(const std::string& value, std::size_t max_chars) {
    std::string out = value;
    CutToLimit(out, max_chars);
    return out;
}

}  // namespace rqwatch::storage::limits
