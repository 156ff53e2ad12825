// ParseMail: the fields rqwatch shows and searches, from one raw message.

#include "mime/parse_mail.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <limits>

#include "mime/addresses.hpp"
#include "mime/attachments.hpp"
#include "mime/gmime_init.hpp"
#include "mime/gmime_ptr.hpp"
#include "mime/opened_message.hpp"
#include "mime/raw_message.hpp"
#include "mime/rfc2047.hpp"
#include "mime/text.hpp"

namespace rqwatch::mime {
namespace {

constexpr std::size_t kMaxQueueIdLength = 64;

std::string QueueId(std::string_view value) {
    // The raw value keeps the blank after the colon and any folding blanks.
    const auto first = value.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    value = value.substr(first, value.find_last_not_of(" \t\r\n") - first + 1);
    if (value.size() > kMaxQueueIdLength) return {};
    const bool alphanumeric = std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
    return alphanumeric ? std::string(value) : std::string();
}

std::string MessageId(std::string_view value) {
    std::string id = CleanLine(value);
    // GMime strips the brackets of a well-formed id but hands back malformed
    // ones as written.
    if (id.starts_with('<')) id.erase(0, 1);
    if (id.ends_with('>')) id.pop_back();
    return id;
}

bool NameIs(const char* name, const char* wanted) {
    return name != nullptr && g_ascii_strcasecmp(name, wanted) == 0;
}

// Subject, addresses and queue id come from the raw header values: GMime's
// own decoded values carry its RFC 2047 bug (see rfc2047.hpp).
void FillFromHeaders(GMimeObject* message, ParsedMail& mail) {
    GMimeHeaderList* headers = g_mime_object_get_header_list(message);
    if (headers == nullptr) return;
    std::vector<MailAddress> from;
    bool have_subject = false;
    bool have_queue_id = false;
    const int count = g_mime_header_list_get_count(headers);
    for (int i = 0; i < count; ++i) {
        GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
        if (header == nullptr) continue;
        const char* name = g_mime_header_get_name(header);
        const std::string_view raw_value = OrEmpty(g_mime_header_get_raw_value(header));
        if (NameIs(name, "Subject") && !have_subject) {
            have_subject = true;
            mail.subject = DecodeHeaderValue(UnfoldHeaderValue(raw_value));
        } else if (NameIs(name, "From")) {
            AppendAddresses(raw_value, from);
        } else if (NameIs(name, "To")) {
            AppendAddresses(raw_value, mail.to);
        } else if (NameIs(name, "Cc")) {
            AppendAddresses(raw_value, mail.cc);
        } else if (NameIs(name, "X-Rspamd-Queue-Id") && !have_queue_id) {
            have_queue_id = true;
            mail.queue_id_header = QueueId(UnfoldHeaderValue(raw_value));
        }
    }
    if (!from.empty()) mail.from = std::move(from.front());
}

void FillFromMessage(GMimeMessage* message, bool crlf, ParsedMail& mail) {
    FillFromHeaders(GMIME_OBJECT(message), mail);
    mail.message_id = MessageId(OrEmpty(g_mime_message_get_message_id(message)));
    if (GDateTime* date = g_mime_message_get_date(message); date != nullptr) {
        mail.date = g_date_time_to_unix(date);
    }
    CollectAttachments(g_mime_message_get_mime_part(message), crlf, mail.attachments);
}

}  // namespace

ParsedMail ParseMail(std::string_view raw) {
    ParsedMail mail;
    try {
        const OpenedMessage opened(raw, /*replace_nul=*/true);
        mail.headers = ToValidUtf8(RawHeaderBlock(opened.Bytes()));
        // Bodies that are not attachments are never decoded.
        if (GMimeMessage* message = opened.Message()) FillFromMessage(message, opened.Crlf(), mail);
    } catch (...) {
        // Only allocation failure can get here; what was parsed so far stands.
    }
    return mail;
}

}  // namespace rqwatch::mime
