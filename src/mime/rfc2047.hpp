#pragma once
// Works around RFC 2047 decoding bugs of the GMime version Debian 12 ships.

#include <string>
#include <string_view>

namespace rqwatch::mime {

// GMime 3.2.13 joins the payloads of adjacent B-encoded words of one charset
// before decoding them, and its base64 decoder stops at the first "=" pad, so
// "=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=" decodes to "Hello"
// (jstedfast/gmime#133; phishing subjects in the corpus hit it). This rewrites
// each B-encoded word as the equivalent Q-encoded word, which GMime joins
// correctly (so a multibyte character split across words still decodes).
// Values without B-encoded words are returned unchanged.
[[nodiscard]] std::string WithoutBase64Words(std::string_view value);

// A raw (folded) header value as one line: folding line breaks removed and
// stray NULs turned into spaces, ready for GMime's C-string decoders.
[[nodiscard]] std::string UnfoldHeaderValue(std::string_view raw_value);

}  // namespace rqwatch::mime
