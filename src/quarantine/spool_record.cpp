#include "quarantine/spool_record.hpp"

#include <cstring>

namespace rqwatch::quarantine {
namespace {

constexpr std::string_view kHeaderMagic = "RQWSPL01";
constexpr std::string_view kFooterMagic = "RQWEND01";
constexpr std::uint32_t kMaxIdLen = 64;
constexpr std::uint32_t kMaxMetaLen = 64u << 20;
constexpr std::uint64_t kMaxBodyLen = 4ull << 30;

// FNV-1a: detects torn and stale bytes; not a defence against an attacker
// (the spool is written only by rqwatch).
std::uint64_t Fnv1a(std::string_view a, std::string_view b = {}) {
    std::uint64_t h = 1469598103934665603ull;
    for (std::string_view part : {a, b}) {
        for (unsigned char c : part) {
            h ^= c;
            h *= 1099511628211ull;
        }
    }
    return h;
}

template <class T>
void Put(std::string& out, T v) {
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

template <class T>
T Get(std::string_view in, std::size_t at) {
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
        v |= static_cast<T>(static_cast<unsigned char>(in[at + i])) << (8 * i);
    }
    return v;
}

}  // namespace

std::string EncodeRecordHeader(const RecordHeader& h) {
    std::string out(kHeaderMagic);
    Put(out, h.id_len);
    Put(out, h.meta_len);
    Put(out, h.body_len);
    Put(out, h.flags);
    Put(out, static_cast<std::uint32_t>(Fnv1a(out)));
    return out;
}

std::string EncodeRecordFooter(std::string_view id, std::string_view meta) {
    std::string out(kFooterMagic);
    Put(out, Fnv1a(id, meta));
    return out;
}

std::optional<RecordHeader> DecodeRecordHeader(std::string_view b) {
    if (b.size() < kRecordHeaderBytes || b.substr(0, kHeaderMagic.size()) != kHeaderMagic)
        return std::nullopt;
    if (Get<std::uint32_t>(b, 28) != static_cast<std::uint32_t>(Fnv1a(b.substr(0, 28))))
        return std::nullopt;
    RecordHeader h{Get<std::uint32_t>(b, 8), Get<std::uint32_t>(b, 12), Get<std::uint64_t>(b, 16),
                   Get<std::uint32_t>(b, 24)};
    if (h.id_len == 0 || h.id_len > kMaxIdLen || h.meta_len > kMaxMetaLen ||
        h.body_len > kMaxBodyLen) {
        return std::nullopt;
    }
    return h;
}

bool FooterMatches(std::string_view footer, std::string_view id, std::string_view meta) {
    return footer.size() == kRecordFooterBytes &&
           footer.substr(0, kFooterMagic.size()) == kFooterMagic &&
           Get<std::uint64_t>(footer, 8) == Fnv1a(id, meta);
}

}  // namespace rqwatch::quarantine
