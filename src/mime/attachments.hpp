#pragma once
// Finds the attachments of a parsed message, including those of attached
// (message/rfc822) messages.

#include <gmime/gmime.h>

#include <cstddef>
#include <functional>
#include <string>
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

// Called with each attachment's part (a GMimePart, or a GMimeMessagePart for
// an attached message) and description, in the order CollectAttachments
// lists them (the index the API uses); return false to stop.
using AttachmentVisitor = std::function<bool(GMimeObject*, Attachment)>;
void ForEachAttachment(GMimeObject* root, bool crlf, const AttachmentVisitor& visit);

// Whether CollectAttachments counts this part as an attachment (a file
// name, or an "attachment" disposition).
[[nodiscard]] bool IsAttachment(GMimeObject* object);
// The decoded content of a part, or an attached message (GMimeMessagePart)
// as written with CRLF or LF line ends; "" when there is none.
[[nodiscard]] std::string PartBytes(GMimeObject* object, bool crlf);

// Lower-case "type/subtype"; application/octet-stream when missing.
[[nodiscard]] std::string MediaType(GMimeObject* object);

}  // namespace rqwatch::mime
