#pragma once
// On-disk format of one spool record (little-endian):
//   header (32 bytes): "RQWSPL01" | u32 id_len | u32 meta_len | u64 body_len | u32 flags | u32
//   header_hash id | metadata JSON | message body footer (16 bytes): "RQWEND01" | u64 hash of id +
//   metadata
// A record is accepted only when header, lengths and footer agree; anything
// else at the tail of the newest segment is a write torn by a crash (never
// acknowledged) and is cut off. The message body is not hashed: an
// acknowledged record was fdatasync'ed before the answer, and hashing 50 KB
// per mail would cost more than the rest of the ingest path.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rqwatch::quarantine {

inline constexpr std::size_t kRecordHeaderBytes = 32;
inline constexpr std::size_t kRecordFooterBytes = 16;
inline constexpr std::uint32_t kRecordHasMessage = 1;

struct RecordHeader {
    std::uint32_t id_len = 0;
    std::uint32_t meta_len = 0;
    std::uint64_t body_len = 0;
    std::uint32_t flags = 0;

    [[nodiscard]] std::uint64_t TotalBytes() const {
        return kRecordHeaderBytes + id_len + meta_len + body_len + kRecordFooterBytes;
    }
};

[[nodiscard]] std::string EncodeRecordHeader(const RecordHeader& h);
[[nodiscard]] std::string EncodeRecordFooter(std::string_view id, std::string_view meta);
// nullopt when the bytes are not a plausible header (torn write, garbage).
[[nodiscard]] std::optional<RecordHeader> DecodeRecordHeader(std::string_view bytes);
[[nodiscard]] bool FooterMatches(std::string_view footer, std::string_view id,
                                 std::string_view meta);

}  // namespace rqwatch::quarantine
