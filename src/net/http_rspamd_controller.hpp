#pragma once
// app::RspamdController over HTTP(S) (net/http_fetch): the controller
// password goes in the `Password` header rspamd asks for.

#include "app/ports/rspamd_controller.hpp"
#include "net/http_fetch.hpp"

namespace rqwatch::net {

class HttpRspamdController final : public app::RspamdController {
  public:
    HttpRspamdController(std::string password, FetchOptions options)
        : password_(std::move(password)), options_(std::move(options)) {}

    [[nodiscard]] Result<app::LearnResult> Learn(const std::string& url, bool spam,
                                                 const std::string& message) override;
    [[nodiscard]] Result<void> Fuzzy(const std::string& url, const app::FuzzyRequest& request,
                                     const std::string& message) override;
    [[nodiscard]] Result<std::string> Stat(const std::string& url) override;

  private:
    FetchOptions Options() const;

    std::string password_;
    FetchOptions options_;
};

}  // namespace rqwatch::net
