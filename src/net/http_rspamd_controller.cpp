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

// 401/403: rspamd's "Unauthorized" for a wrong or missing password.
std::optional<Error> RefusedPassword(const FetchReply& reply, const std::string& target) {
    if (reply.status != 401 && reply.status != 403) return std::nullopt;
    return Error{ErrorCode::kUnavailable, "the Rspamd controller refused rqwatch's password",
                 fmt::format("{} from {}", reply.status, target)};
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
    if (auto refused = RefusedPassword(*reply, target)) return std::unexpected(*refused);
    return Fail(ErrorCode::kUnavailable, "Rspamd did not learn the mail: " + ErrorOf(*reply),
                fmt::format("{} from {}", reply->status, target));
}

Result<void> HttpRspamdController::Fuzzy(const std::string& url, const app::FuzzyRequest& request,
                                         const std::string& message) {
    FetchOptions o = Options();
    o.headers.push_back("Content-Type: message/rfc822");
    o.headers.push_back(fmt::format("Flag: {}", request.flag));
    if (request.add) o.headers.push_back(fmt::format("Weight: {}", request.weight));
    const std::string target = url + (request.add ? "/fuzzyadd" : "/fuzzydel");
    auto reply = HttpPostForm(target, message, "", o);
    if (!reply) return std::unexpected(reply.error());
    // 200 {"success": true, "hashes": [...]}, also when deleting a hash the
    // storage never had; 404 when no writable rule has the flag or the mail
    // has nothing to hash.
    if (reply->status == 200) return {};
    if (auto refused = RefusedPassword(*reply, target)) return std::unexpected(*refused);
    return Fail(ErrorCode::kUnavailable,
                fmt::format("Rspamd did not {} the fuzzy hashes: {}",
                            request.add ? "add" : "delete", ErrorOf(*reply)),
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
