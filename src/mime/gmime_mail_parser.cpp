#include "mime/gmime_mail_parser.hpp"

#include "mime/parse_mail.hpp"

namespace rqwatch::mime {

GMimeMailParser::GMimeMailParser() { InitMime(); }

void GMimeMailParser::Fill(std::string_view raw, MailRecord& r) {
    ParsedMail p = ParseMail(raw);
    // The message's own Subject wins over Rspamd's copy (which 3.4 sends raw
    // and 3.8.2+ RFC 2047-encoded); keep Rspamd's when the mail has none.
    if (!p.subject.empty()) r.subject = std::move(p.subject);
    if (p.from) {
        r.mime_from =
            p.from->name.empty() ? p.from->address : p.from->name + " <" + p.from->address + ">";
        r.mime_from_addr = NormalizeAddress(p.from->address);
    }
    r.mime_to = std::move(p.to);
    r.mime_cc = std::move(p.cc);
    if (!p.message_id.empty()) r.message_id = std::move(p.message_id);
    r.mail_date = p.date;
    r.headers = std::move(p.headers);
    r.attachments = std::move(p.attachments);
    // The old Rqwatch fell back to the X-Rspamd-Queue-Id header for mails
    // scanned without a queue id (e.g. via rspamc).
    if (r.qid.empty() && !p.queue_id_header.empty()) r.qid = std::move(p.queue_id_header);
}

std::string GMimeMailParser::DecodeHeader(std::string_view value) {
    return DecodeHeaderValue(value);
}

}  // namespace rqwatch::mime
