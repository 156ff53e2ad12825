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

std::string DomainOf(std::string_view address) {
    const std::string normal = NormalizeAddress(address);
    const auto at = normal.rfind('@');
    if (at == std::string::npos) return {};
    std::string domain = normal.substr(at + 1);
    while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) domain.pop_back();
    return domain;
}

}  // namespace rqwatch
