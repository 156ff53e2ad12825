#include "mime/addresses.hpp"

#include <gmime/gmime.h>

#include <string>

#include "mime/gmime_init.hpp"
#include "mime/gmime_ptr.hpp"
#include "mime/rfc2047.hpp"
#include "mime/text.hpp"

namespace rqwatch::mime {
namespace {

// Groups cannot nest in RFC 5322, but GMime's lenient parser may build nested
// lists from garbage; a small bound keeps the recursion harmless.
constexpr int kMaxGroupDepth = 4;

void Append(InternetAddressList* list, std::vector<MailAddress>& out, int depth) {
    if (list == nullptr || depth > kMaxGroupDepth) return;
    const int count = internet_address_list_length(list);
    for (int i = 0; i < count && out.size() < kMaxAddressesPerHeader; ++i) {
        InternetAddress* address = internet_address_list_get_address(list, i);
        if (address == nullptr) continue;
        if (INTERNET_ADDRESS_IS_GROUP(address)) {
            Append(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out,
                   depth + 1);
        } else if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
            MailAddress mail_address;
            // The parser has decoded RFC 2047 words and 8-bit bytes in the name.
            mail_address.name = CleanLine(OrEmpty(internet_address_get_name(address)));
            // get_addr is the addr-spec as written (get_idn_addr would punycode it).
            mail_address.address = CleanLine(
                OrEmpty(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))));
            if (mail_address.address.empty() && mail_address.name.empty()) continue;
            out.push_back(std::move(mail_address));
        }
    }
}

}  // namespace

void AppendAddresses(std::string_view raw_value, std::vector<MailAddress>& out) {
    if (out.size() >= kMaxAddressesPerHeader) return;
    const std::string value = WithoutBase64Words(UnfoldHeaderValue(raw_value));
    GObjectPtr<InternetAddressList> list(
        internet_address_list_parse(ParserOptions(), value.c_str()));
    Append(list.get(), out, 0);
}

}  // namespace rqwatch::mime
