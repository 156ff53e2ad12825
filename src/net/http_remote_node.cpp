#include "net/http_remote_node.hpp"

#include <ctime>

#include <nlohmann/json.hpp>

#include "core/node_signature.hpp"

namespace rqwatch::net {

std::string NodeRawPath(std::int64_t mail_id) {
    return "/api/v1/node/mails/" + std::to_string(mail_id) + "/raw";
}

HttpRemoteNode::HttpRemoteNode(std::map<std::string, std::string> peers, std::string secret,
                               FetchOptions fetch, Clock clock)
    : peers_(std::move(peers)),
      secret_(std::move(secret)),
      fetch_(std::move(fetch)),
      clock_(clock ? std::move(clock) : Clock([] { return std::int64_t(std::time(nullptr)); })) {}

Result<std::string> HttpRemoteNode::Ask(const std::string& node, const char* method,
                                        std::int64_t mail_id) {
    auto peer = peers_.find(node);
    if (peer == peers_.end() || secret_.empty()) {
        return Fail(ErrorCode::kUnavailable,
                    "this mail is kept on node \"" + node + "\", which node_api.peers does not name");
    }
    const std::string target = NodeRawPath(mail_id);
    const std::int64_t now = clock_();
    FetchOptions options = fetch_;
    options.accept = std::string_view(method) == "GET" ? "message/rfc822" : "application/json";
    options.headers.push_back(std::string(kNodeTimeHeader) + ": " + std::to_string(now));
    options.headers.push_back(std::string(kNodeSignatureHeader) + ": " +
                              NodeSignature(secret_, method, target, now));
    auto reply = std::string_view(method) == "GET" ? HttpGet(peer->second + target, options)
                                                   : HttpDelete(peer->second + target, options);
    if (!reply) {
        Error e = reply.error();
        e.public_msg = "node \"" + node + "\" keeps this mail and cannot be reached";
        return std::unexpected(std::move(e));
    }
    if (reply->status == 200) return std::move(reply->body);
    const std::string status = "HTTP " + std::to_string(reply->status);
    if (reply->status == 404) {
        return Fail(ErrorCode::kNotFound,
                    "the quarantined mail file is missing on node \"" + node + "\"", status);
    }
    if (reply->status == 401 || reply->status == 403) {
        return Fail(ErrorCode::kUnavailable,
                    "node \"" + node + "\" refuses this node (node_api.secret, allow_from)", status);
    }
    return Fail(ErrorCode::kUnavailable, "node \"" + node + "\" failed to hand out the mail",
                status);
}

Result<std::string> HttpRemoteNode::FetchRaw(const std::string& node, std::int64_t mail_id) {
    return Ask(node, "GET", mail_id);
}

Result<bool> HttpRemoteNode::DeleteRaw(const std::string& node, std::int64_t mail_id) {
    auto body = Ask(node, "DELETE", mail_id);
    if (!body) return std::unexpected(body.error());
    const auto doc = nlohmann::json::parse(*body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("deleted") || !doc["deleted"].is_boolean()) {
        return Fail(ErrorCode::kUnavailable, "node \"" + node + "\" gave no answer to a delete");
    }
    return doc["deleted"].get<bool>();
}

}  // namespace rqwatch::net
