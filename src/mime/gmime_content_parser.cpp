#include "mime/gmime_content_parser.hpp"

#include "mime/attachments.hpp"
#include "mime/header_fields.hpp"
#include "mime/mail_body.hpp"
#include "mime/opened_message.hpp"
#include "mime/parse_mail.hpp"

namespace rqwatch::mime {

GMimeContentParser::GMimeContentParser() { InitMime(); }

std::vector<HeaderField> GMimeContentParser::HeaderFields(std::string_view header_block) {
    return ParseHeaderFields(header_block);
}

MailBody GMimeContentParser::Body(std::string_view raw) { return ReadBody(raw); }

std::optional<AttachmentContent> GMimeContentParser::AttachmentAt(std::string_view raw,
                                                                  std::size_t index) {
    std::optional<AttachmentContent> found;
    try {
        // NULs stay: the bytes handed out must be the attachment's own.
        const OpenedMessage opened(raw, /*replace_nul=*/false);
        if (opened.Message() == nullptr) return found;
        std::size_t at = 0;
        ForEachAttachment(g_mime_message_get_mime_part(opened.Message()), opened.Crlf(),
                          [&](GMimeObject* part, Attachment meta) {
                              if (at++ < index) return true;
                              found = AttachmentContent{std::move(meta),
                                                        PartBytes(part, opened.Crlf())};
                              return false;
                          });
    } catch (...) {
        found.reset();  // only allocation failure can get here
    }
    return found;
}

}  // namespace rqwatch::mime
