#pragma once
// The text and HTML bodies of a raw mail, ready for a viewer.

#include <cstddef>
#include <string_view>

#include "core/mail_content.hpp"

namespace rqwatch::mime {

// Bounds for what one view sends to a browser.
inline constexpr std::size_t kMaxTextBytes = 2 * 1024 * 1024;
inline constexpr std::size_t kMaxHtmlBytes = 8 * 1024 * 1024;
// Total decoded size of the inline images put into the HTML as data: URIs.
inline constexpr std::size_t kMaxInlineImageBytes = 10 * 1024 * 1024;

[[nodiscard]] MailBody ReadBody(std::string_view raw);

}  // namespace rqwatch::mime
