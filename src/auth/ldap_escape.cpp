#include "auth/ldap_escape.hpp"

namespace rqwatch::auth {
namespace {

void AppendHex(std::string& out, unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '\\';
    out += kHex[c >> 4];
    out += kHex[c & 0x0f];
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

std::string EscapeFilterValue(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 8);
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        // Non-ASCII bytes are escaped too (RFC 4515 allows either): the
        // filter stays plain ASCII whatever the login holds, even bytes that
        // are not UTF-8.
        if (c == '*' || c == '(' || c == ')' || c == '\\' || IsControl(c) || c >= 0x80) {
            AppendHex(out, c);
        } else {
            out += ch;
        }
    }
    return out;
}

std::string EscapeDnValue(std::string_view value) {
    std::string out;
    out.reserve(value.size() + 8);
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto c = static_cast<unsigned char>(value[i]);
        const bool first = i == 0;
        const bool last = i + 1 == value.size();
        if (IsControl(c)) {
            AppendHex(out, c);
        } else if (c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' ||
                   c == '\\' || c == '=' || (first && (c == ' ' || c == '#')) ||
                   (last && c == ' ')) {
            out += '\\';
            out += value[i];
        } else {
            out += value[i];
        }
    }
    return out;
}

}  // namespace rqwatch::auth
