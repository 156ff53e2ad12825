#pragma once
// Byte-level views of a raw message that do not need (or must not wait for)
// the MIME parser.

#include <cstddef>
#include <string_view>

namespace rqwatch::mime {

// Largest header block kept for display; spam with megabytes of headers exists.
inline constexpr std::size_t kMaxHeaderBlock = 1024 * 1024;

// `raw` without a leading mbox separator line ("From sender date"), which is
// not part of the RFC 5322 message and would otherwise be read as a header.
[[nodiscard]] std::string_view SkipMboxFromLine(std::string_view raw);

// The header block: bytes up to (not including) the first empty line, with
// original line endings; the whole input when there is no empty line. Cut
// at the last line end before kMaxHeaderBlock when longer.
[[nodiscard]] std::string_view RawHeaderBlock(std::string_view message);

}  // namespace rqwatch::mime
