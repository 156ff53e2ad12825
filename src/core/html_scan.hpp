#pragma once
// What a viewer wants to know about an HTML body before showing it.

#include <string_view>

namespace rqwatch {

// Whether the HTML would load anything from the network when shown
// (images, style sheets, fonts, media by http:, https: or //host URLs): the
// viewer then offers to load remote content, which it blocks by default. A
// hint only: the browser's Content-Security-Policy is what blocks.
[[nodiscard]] bool HasRemoteContent(std::string_view html);

}  // namespace rqwatch
