// ParseMail: the fields rqwatch shows and searches, from one raw message.

#include "mime/parse_mail.hpp"

#include <gmime/gmime.h>

#include <algorithm>
#include <limits>

#include "mime/addresses.hpp"
#include "mime/attachments.hpp"
#include "mime/gmime_init.hpp"
#include "mime/gmime_ptr.hpp"
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
        std::string_view message_bytes = SkipMboxFromLine(raw);
        // GMime reads header values and parameters as C strings, so a NUL
        // would silently cut a subject or file name short. NUL belongs in no
        // header, and a same-length replacement leaves part sizes unchanged;
        // copying only in this rare case keeps the common path copy-free.
        std::string nul_free;
        if (message_bytes.find('\0') != std::string_view::npos) {
            nul_free.assign(message_bytes);
            std::replace(nul_free.begin(), nul_free.end(), '\0', ' ');
            message_bytes = nul_free;
        }
        const std::string_view header_block = RawHeaderBlock(message_bytes);
        mail.headers = ToValidUtf8(header_block);
        const bool crlf = header_block.find("\r\n") != std::string_view::npos;

        // A memory stream reading the caller's bytes in place: GMime's mem
        // stream only reads ->data and ->len of its GByteArray and, not being
        // the owner, never frees it. Declared first, so it outlives the stream,
        // the parser and the message (all hold substreams of it).
        GByteArray view{};
        view.data = reinterpret_cast<guint8*>(const_cast<char*>(message_bytes.data()));
        view.len = static_cast<guint>(
            std::min<std::size_t>(message_bytes.size(), std::numeric_limits<guint>::max()));

        GMimeParserOptions* options = ParserOptions();
        GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
        g_mime_stream_mem_set_byte_array(GMIME_STREAM_MEM(stream.get()), &view);

        GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
        g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
        // Parts reference ranges of the stream instead of copying their
        // content; bodies that are not attachments are never decoded.
        g_mime_parser_set_persist_stream(parser.get(), TRUE);

        GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options));
        if (message) FillFromMessage(message.get(), crlf, mail);
    } catch (...) {
        // Only allocation failure can get here; what was parsed so far stands.
    }
    return mail;
}

}  // namespace rqwatch::mime
