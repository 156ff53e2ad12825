#include "net/http_fetch.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>

#include "net/curl_handle.hpp"

namespace rqwatch::net {
namespace {


struct Sink {
    std::string body;
    std::size_t limit = 0;
    bool too_large = false;
};

std::size_t Write(char* data, std::size_t size, std::size_t n, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t bytes = size * n;
    if (sink->body.size() + bytes > sink->limit) {
        sink->too_large = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    sink->body.append(data, bytes);
    return bytes;
}

Result<FetchReply> Perform(const std::string& url, const char* method, const std::string* form,
                           const std::string& authorization, const FetchOptions& o) {
    CurlPtr curl = NewCurlHandle();
    if (!curl) return Fail(ErrorCode::kInternal, "internal error", "curl_easy_init failed");
    CURL* c = curl.get();
    Sink sink{.body = {}, .limit = o.max_body_bytes};
    CurlListPtr headers(
        curl_slist_append(nullptr, ("Accept: " + o.accept).c_str()));
    for (const std::string& h : o.headers) {
        headers.reset(curl_slist_append(headers.release(), h.c_str()));
    }
    if (!authorization.empty()) {
        headers.reset(
            curl_slist_append(headers.release(), ("Authorization: " + authorization).c_str()));
    }
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.timeout_ms));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    if (std::string_view(method) == "DELETE") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (form) {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form->size()));
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OPERATION_TIMEDOUT) {
        // Told apart from "cannot be reached": a server that accepts and
        // then says nothing (overloaded, a firewall dropping replies) wants
        // a different fix than one that is down.
        auto failed = Fail(ErrorCode::kUnavailable,
                           fmt::format("the server did not answer within {} s",
                                       (o.timeout_ms + 999) / 1000),
                           std::string(curl_easy_strerror(rc)) + " (" + url + ")");
        failed.error().reason = "timeout";
        return failed;
    }
    if (rc != CURLE_OK) {
        return Fail(ErrorCode::kUnavailable, "the server cannot be reached",
                    sink.too_large ? "answer larger than " + std::to_string(o.max_body_bytes) +
                                         " bytes from " + url
                                   : std::string(curl_easy_strerror(rc)) + " (" + url + ")");
    }
    FetchReply reply;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
    reply.body = std::move(sink.body);
    return reply;
}

}  // namespace

Result<FetchReply> HttpGet(const std::string& url, const FetchOptions& options) {
    return Perform(url, "GET", nullptr, {}, options);
}

Result<FetchReply> HttpDelete(const std::string& url, const FetchOptions& options) {
    return Perform(url, "DELETE", nullptr, {}, options);
}

Result<FetchReply> HttpPostForm(const std::string& url, const std::string& form,
                                const std::string& authorization, const FetchOptions& options) {
    return Perform(url, "POST", &form, authorization, options);
}

std::string PercentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (const unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        }
    }
    return out;
}

}  // namespace rqwatch::net
