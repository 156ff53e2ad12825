// ReadBody: the parts a mail client would display, found the way clients
// find them: depth first through multiparts, never inside attached messages.

#include "mime/mail_body.hpp"

#include <gmime/gmime.h>

#include <map>
#include <string>

#include "core/utf8.hpp"
#include "mime/attachments.hpp"
#include "mime/gmime_ptr.hpp"
#include "mime/opened_message.hpp"
#include "mime/parse_mail.hpp"
#include "mime/text.hpp"

namespace rqwatch::mime {
namespace {

// Image types a browser shows without running anything (no SVG: it can
// carry script).
bool IsRasterImage(std::string_view media_type) {
    return media_type == "image/png" || media_type == "image/jpeg" ||
           media_type == "image/gif" || media_type == "image/webp";
}

struct BodyParts {
    GMimeTextPart* text = nullptr;
    GMimeTextPart* html = nullptr;
    std::vector<GMimePart*> images;  // with a Content-ID, for cid: references

    void Walk(GMimeObject* object, int depth) {
        if (object == nullptr || depth > kMaxMimeDepth) return;
        if (GMIME_IS_MULTIPART(object)) {
            GMimeMultipart* multipart = GMIME_MULTIPART(object);
            const int count = g_mime_multipart_get_count(multipart);
            for (int i = 0; i < count; ++i) Walk(g_mime_multipart_get_part(multipart, i), depth + 1);
            return;
        }
        if (!GMIME_IS_PART(object)) return;  // an attached message is not the body
        const std::string type = MediaType(object);
        if (GMIME_IS_TEXT_PART(object) && !IsAttachment(object)) {
            if (type == "text/plain" && text == nullptr) text = GMIME_TEXT_PART(object);
            if (type == "text/html" && html == nullptr) html = GMIME_TEXT_PART(object);
        } else if (IsRasterImage(type) && images.size() < kMaxAttachments &&
                   g_mime_part_get_content_id(GMIME_PART(object)) != nullptr) {
            images.push_back(GMIME_PART(object));
        }
    }
};

// The part's text in UTF-8 (GMime converts from the declared charset; what
// is still not UTF-8 is read as Windows-1252), cut to `max` bytes.
std::string TextOf(GMimeTextPart* part, std::size_t max, bool& truncated) {
    GCharPtr text(g_mime_text_part_get_text(part));
    std::string out = ToValidUtf8(OrEmpty(text.get()));
    truncated = CutUtf8(out, max);
    return out;
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// A cid: URL names a Content-ID percent-encoded, without the <> (RFC 2392).
std::string PercentDecode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
            out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool EndsCidUrl(char c) {
    return c == '"' || c == '\'' || c == ')' || c == '>' || c == '<' || c == ' ' || c == '\t' ||
           c == '\r' || c == '\n' || c == '\f';
}

// Replaces every "cid:ID" whose ID names one of `images` with a data: URI.
std::string InlineImages(const std::string& html, const std::vector<GMimePart*>& images) {
    if (images.empty()) return html;
    std::map<std::string, std::string> uris;  // Content-ID -> data: URI, built when first used
    std::map<std::string, GMimePart*> by_id;
    for (GMimePart* part : images) by_id.emplace(g_mime_part_get_content_id(part), part);
    std::size_t inlined = 0;
    const std::string lower = AsciiLower(html);  // same length: positions carry over
    std::string out;
    out.reserve(html.size());
    std::size_t pos = 0;
    while (pos < html.size()) {
        const std::size_t at = lower.find("cid:", pos);
        if (at == std::string::npos) break;
        std::size_t end = at + 4;
        while (end < html.size() && !EndsCidUrl(html[end])) ++end;
        out.append(html, pos, at - pos);
        const std::string id = PercentDecode(std::string_view(html).substr(at + 4, end - at - 4));
        auto uri = uris.find(id);
        if (uri == uris.end()) {
            std::string data;
            if (auto part = by_id.find(id); part != by_id.end()) {
                const std::string bytes = PartBytes(GMIME_OBJECT(part->second), false);
                if (!bytes.empty() && inlined + bytes.size() <= kMaxInlineImageBytes) {
                    inlined += bytes.size();
                    GCharPtr b64(g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()),
                                                 bytes.size()));
                    data = "data:" + MediaType(GMIME_OBJECT(part->second)) + ";base64," +
                           std::string(OrEmpty(b64.get()));
                }
            }
            uri = uris.emplace(id, std::move(data)).first;
        }
        // An unknown or oversized image stays a cid: reference, which the
        // browser cannot fetch: it shows as missing.
        if (uri->second.empty()) {
            out.append(html, at, end - at);
        } else {
            out += uri->second;
        }
        pos = end;
    }
    out.append(html, pos);
    return out;
}

}  // namespace

MailBody ReadBody(std::string_view raw) {
    MailBody body;
    try {
        const OpenedMessage opened(raw, /*replace_nul=*/false);
        if (opened.Message() == nullptr) return body;
        BodyParts parts;
        parts.Walk(g_mime_message_get_mime_part(opened.Message()), 0);
        if (parts.text != nullptr) body.text = TextOf(parts.text, kMaxTextBytes, body.text_truncated);
        if (parts.html != nullptr) {
            std::string html = TextOf(parts.html, kMaxHtmlBytes, body.html_truncated);
            body.html = InlineImages(html, parts.images);
        }
    } catch (...) {
        // Only allocation failure can get here; what was read so far stands.
    }
    return body;
}

}  // namespace rqwatch::mime
