#pragma once
// Port: reads what the mail viewer shows out of a stored raw mail (hostile
// input: never throws, never trusts the structure). Implemented with GMime
// in mime/.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "core/mail_content.hpp"

namespace rqwatch::app {

class MailContentParser {
  public:
    virtual ~MailContentParser() = default;
    // The fields of a raw header block (MailRecord::headers), in order.
    [[nodiscard]] virtual std::vector<HeaderField> HeaderFields(std::string_view header_block) = 0;
    [[nodiscard]] virtual MailBody Body(std::string_view raw) = 0;
    // The attachment at `index` in the order of MailRecord::attachments;
    // nullopt when the mail has fewer.
    [[nodiscard]] virtual std::optional<AttachmentContent> AttachmentAt(std::string_view raw,
                                                                        std::size_t index) = 0;
};

}  // namespace rqwatch::app
