#pragma once
// A GMime message parsed in place from caller-owned bytes: parts reference
// ranges of those bytes instead of copying them. The bytes must outlive the
// OpenedMessage.

#include <gmime/gmime.h>

#include <string>
#include <string_view>

#include "mime/gmime_ptr.hpp"

namespace rqwatch::mime {

class OpenedMessage {
  public:
    // `raw`: any bytes, LF or CRLF, may start with an mbox "From " line.
    // With `replace_nul`, NUL bytes become spaces first (in a copy): GMime
    // reads header values as C strings, so a NUL would cut a subject or a
    // file name short. Leave them when part bytes must stay exact.
    OpenedMessage(std::string_view raw, bool replace_nul);
    OpenedMessage(const OpenedMessage&) = delete;
    OpenedMessage& operator=(const OpenedMessage&) = delete;

    // Null when GMime found no message at all.
    [[nodiscard]] GMimeMessage* Message() const { return message_.get(); }
    // The message bytes parsed (without the mbox line).
    [[nodiscard]] std::string_view Bytes() const { return bytes_; }
    // Whether the header block uses CRLF line ends.
    [[nodiscard]] bool Crlf() const { return crlf_; }

  private:
    std::string nul_free_;
    std::string_view bytes_;
    bool crlf_ = false;
    // GMime's mem stream only reads ->data and ->len of this GByteArray and,
    // not being the owner, never frees it. Declared before the stream, the
    // parser and the message, which all hold substreams of it.
    GByteArray view_{};
    GObjectPtr<GMimeStream> stream_;
    GObjectPtr<GMimeParser> parser_;
    GObjectPtr<GMimeMessage> message_;
};

}  // namespace rqwatch::mime
