#pragma once
// Finds the attachments of a parsed message, including those of attached
// (message/rfc822) messages.

#include <gmime/gmime.h>

#include <cstddef>
#include <vector>

#include "core/mail.hpp"

namespace rqwatch::mime {

// Bounds for hostile structure: the list is shown in the UI and stored in SQL.
inline constexpr std::size_t kMaxAttachments = 1000;
inline constexpr int kMaxMimeDepth = 20;

// Appends every leaf part of `root` (may be null) that has a file name or an
// "attachment" disposition. Sizes are decoded byte counts. `crlf` says whether
// the message uses CRLF line ends: an attached message is re-serialised to
// count its size, and that should match its bytes in the original.
void CollectAttachments(GMimeObject* root, bool crlf, std::vector<Attachment>& out);

}  // namespace rqwatch::mime
