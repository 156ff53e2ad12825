#include "net/smtp_sender.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <memory>

#include "net/curl_handle.hpp"

namespace rqwatch::net {
namespace {


struct Source {
    const std::string* data = nullptr;
    std::size_t offset = 0;
};

std::size_t Read(char* buffer, std::size_t size, std::size_t n, void* user) {
    auto* src = static_cast<Source*>(user);
    const std::size_t left = src->data->size() - src->offset;
    const std::size_t bytes = std::min(left, size * n);
    std::memcpy(buffer, src->data->data() + src->offset, bytes);
    src->offset += bytes;
    return bytes;
}

}  // namespace

Result<std::string> SmtpSender::Send(const app::OutgoingMail& mail) {
    CurlPtr curl = NewCurlHandle();
    if (!curl) return Fail(ErrorCode::kInternal, "internal error", "curl_easy_init failed");
    CURL* c = curl.get();
    const SmtpOptions& o = options_;
    const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
    // The URL's path is the EHLO name.
    const std::string url = fmt::format("smtp://{}:{}/{}", host, o.port, o.helo_name);
    const std::string from = "<" + mail.from + ">";
    CurlListPtr rcpt(
        curl_slist_append(nullptr, ("<" + mail.to + ">").c_str()));
    Source source{&mail.data, 0};
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for timeouts
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout_ms));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.timeout_ms));
    curl_easy_setopt(c, CURLOPT_USE_SSL,
                     o.starttls == StartTls::kRequired   ? static_cast<long>(CURLUSESSL_ALL)
                     : o.starttls == StartTls::kOptional ? static_cast<long>(CURLUSESSL_TRY)
                                                         : static_cast<long>(CURLUSESSL_NONE));
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
    if (!o.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, o.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, o.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, Read);
    curl_easy_setopt(c, CURLOPT_READDATA, &source);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.data.size()));
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (rc != CURLE_OK) {
        return Fail(ErrorCode::kUnavailable, "the mail relay cannot be reached or refused the mail",
                    fmt::format("smtp://{}:{}: {}{} (last reply {})", host, o.port,
                                curl_easy_strerror(rc), error[0] ? fmt::format(": {}", error) : "",
                                code));
    }
    return fmt::format("{} accepted by {}:{}", code, host, o.port);
}

}  // namespace rqwatch::net
