#pragma once
// JSON encoding of the vector fields of MailRecord stored in TEXT columns.
// Encoding never fails: invalid UTF-8 (e.g. in Rspamd symbol options) is
// replaced with U+FFFD rather than rejecting the mail. Decoding fails with
// kInternal on a malformed document (a corrupt row, not a caller error).

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/mail.hpp"
#include "core/symbol_json.hpp"  // SymbolsJsonText writes the column

namespace rqwatch::storage {

[[nodiscard]] Result<std::vector<Symbol>> SymbolsFromJson(std::string_view json);

[[nodiscard]] std::string AddressesToJson(const std::vector<MailAddress>& addresses);
[[nodiscard]] Result<std::vector<MailAddress>> AddressesFromJson(std::string_view json);

[[nodiscard]] std::string AttachmentsToJson(const std::vector<Attachment>& attachments);
[[nodiscard]] Result<std::vector<Attachment>> AttachmentsFromJson(std::string_view json);

}  // namespace rqwatch::storage
