#pragma once
// app::MailContentParser on GMime: what the mail viewer reads from a raw mail.

#include "app/ports/mail_content_parser.hpp"

namespace rqwatch::mime {

class GMimeContentParser final : public app::MailContentParser {
  public:
    GMimeContentParser();
    std::vector<HeaderField> HeaderFields(std::string_view header_block) override;
    MailBody Body(std::string_view raw) override;
    std::optional<AttachmentContent> AttachmentAt(std::string_view raw,
                                                  std::size_t index) override;
};

}  // namespace rqwatch::mime
