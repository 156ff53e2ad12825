#include "app/mime_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "util/ids.hpp"
#include "util/utc_time.hpp"

namespace rqwatch::app {

std::string HeaderSafe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
    }
    return out;
}

bool IsPlainAscii(std::string_view text) {
    return std::ranges::all_of(text, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f;
    });
}

std::string Base64Lines(std::string_view in) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t line = 0;
    for (std::size_t i = 0; i < in.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, in.size() - i);
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            v = (v << 8) | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
        }
        for (std::size_t k = 0; k < 4; ++k) {
            out.push_back(k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 0x3f] : '=');
        }
        if ((line += 4) == 76) {
            out += "\r\n";
            line = 0;
        }
    }
    if (line != 0) out += "\r\n";
    return out;
}

std::string ComposeAlternative(const AlternativeMail& m, std::int64_t now_ms) {
    const std::string text = Base64Lines(m.text);
    const std::string html = Base64Lines(m.html);
    // Base64 never holds '-', so the boundary cannot occur in the parts.
    const std::string boundary = "rqwatch-" + m.id_tag + "-" + util::RandomHex(24);
    std::string subject = HeaderSafe(m.subject);
    if (!IsPlainAscii(subject) || subject.size() > 200) subject = m.fallback_subject;
    std::string out;
    out.reserve(text.size() + html.size() + 1024);
    out += fmt::format("From: <{}>\r\nTo: <{}>\r\n", m.from, m.to);
    out += "Subject: " + subject + "\r\n";
    out += "Date: " + util::FormatUtc(now_ms, "%a, %d %b %Y %H:%M:%S +0000") + "\r\n";
    out += fmt::format("Message-ID: <rqwatch-{}-{}@rqwatch>\r\n", m.id_tag, util::RandomHex(24));
    out += "Auto-Submitted: auto-generated\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += fmt::format("Content-Type: multipart/alternative; boundary=\"{}\"\r\n\r\n", boundary);
    out += fmt::format("--{}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n",
                       boundary);
    out += text;
    out += fmt::format("--{}\r\nContent-Type: text/html; charset=utf-8\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n",
                       boundary);
    out += html;
    out += fmt::format("--{}--\r\n", boundary);
    return out;
}

}  // namespace rqwatch::app
