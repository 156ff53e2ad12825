#include "http/return_path.hpp"

#include <algorithm>

namespace rqwatch::http {

std::string SafeReturnPath(std::string_view wanted) {
    const bool safe = !wanted.empty() && wanted.size() <= 1024 && wanted.front() == '/' &&
                      (wanted.size() == 1 || (wanted[1] != '/' && wanted[1] != '\\')) &&
                      std::ranges::all_of(wanted, [](unsigned char c) {
                          return c > 0x20 && c < 0x7f && c != '\\';
                      });
    return safe ? std::string(wanted) : std::string("/");
}

}  // namespace rqwatch::http
