#pragma once
// app::MailParser on GMime: what the importer needs from a raw mail.

#include "app/ports/mail_parser.hpp"

namespace rqwatch::mime {

class GMimeMailParser final : public app::MailParser {
  public:
    GMimeMailParser();
    void Fill(std::string_view raw, MailRecord& record) override;
    std::string DecodeHeader(std::string_view value) override;
};

}  // namespace rqwatch::mime
