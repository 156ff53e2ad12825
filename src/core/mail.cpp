#include "core/mail.hpp"

#include <cctype>

namespace rqwatch {

std::string NormalizeAddress(std::string_view address) {
    std::size_t b = 0;
    std::size_t e = address.size();
    while (b < e && std::isspace(static_cast<unsigned char>(address[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(address[e - 1]))) --e;
    if (e - b >= 2 && address[b] == '<' && address[e - 1] == '>') {
        ++b;
        --e;
    }
    std::string out(address.substr(b, e - b));
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace rqwatch
