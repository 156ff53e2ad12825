#pragma once
// Owned libcurl handles, shared by every libcurl user in net/ (HTTP fetches,
// SMTP release), so that curl_global_init runs once per process whichever
// of them comes first.

#include <curl/curl.h>

#include <memory>

namespace rqwatch::net {

struct CurlFree {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct CurlListFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlFree>;
using CurlListPtr = std::unique_ptr<curl_slist, CurlListFree>;

// A new easy handle (null when libcurl cannot make one); the first call
// initialises libcurl, which is not thread-safe in every version otherwise.
[[nodiscard]] CurlPtr NewCurlHandle();

}  // namespace rqwatch::net
