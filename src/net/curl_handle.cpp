#include "net/curl_handle.hpp"

#include <mutex>

namespace rqwatch::net {

CurlPtr NewCurlHandle() {
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    return CurlPtr(curl_easy_init());
}

}  // namespace rqwatch::net
