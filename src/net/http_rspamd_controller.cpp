#include "net/http_rspamd_controller.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace rqwatch::net {
namespace {

// rspamd's {"error": "..."} when there is one, else the start of the body.
std::string ErrorOf(const FetchReply& reply) {
    const auto doc = nlohmann::json::parse(reply.body, nullptr, /*allow_exceptions=*/false);
    if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) {
        return doc["error"].get<std::string>();
    }
    return reply.body.substr(0, 200);
}

}  // namespace

FetchOptions HttpRspamdController::Options() const {
    FetchOptions o = options_;
    if (!password_.empty()) o.headers.push_back("Password: " + password_);
    return o;
}

Result<app::LearnResult> HttpRspamdController::Learn(const std::string& url, bool spam,
                                                     const std::string& message) {
    FetchOptions o = Options();
    o.headers.push_back("Content-Type: message/rfc822");
    const std::string target = url + (spam ? "/learnspam" : "/learnham");
    auto reply = HttpPostForm(target, message, "", o);
    if (!reply) return std::unexpected(reply.error());
    // 208: rspamd has learned this very message as that class before.
    if (reply->status == 208) return app::LearnResult::kAlreadyLearned;
    if (reply->status == 200) return app::LearnResult::kLearned;
    if (reply->status == 401 || reply->status == 403) {
        return Fail(ErrorCode::kUnavailable, "the Rspamd controller refused rqwatch's password",
                    fmt::format("{} from {}", reply->status, target));
    }
    return Fail(ErrorCode::kUnavailable, "Rspamd did not learn the mail: " + ErrorOf(*reply),
                fmt::format("{} from {}", reply->status, target));
}

Result<std::string> HttpRspamdController::Stat(const std::string& url) {
    auto reply = HttpGet(url + "/stat", Options());
    if (!reply) return std::unexpected(reply.error());
    if (reply->status != 200) {
        return Fail(ErrorCode::kUnavailable, "the Rspamd controller refused /stat: " + ErrorOf(*reply),
                    fmt::format("{} from {}/stat", reply->status, url));
    }
    return std::move(reply->body);
}

}  // namespace rqwatch::net
