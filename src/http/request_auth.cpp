#include "http/request_auth.hpp"

#include <fmt/format.h>

#include "app/login.hpp"
#include "http/basic_auth.hpp"

namespace rqwatch::http {

namespace {

// The value of cookie `name` in a Cookie header ("a=1; b=2"), "" if absent.
std::string CookieValue(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const std::size_t end = header.find(';');
        std::string_view pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

}  // namespace

std::string CookieOf(const Request& request, std::string_view name) {
    if (request.raw == nullptr) return {};
    return CookieValue((*request.raw)[bhttp::field::cookie], name);
}

bool ChangesState(bhttp::verb method) {
    return method != bhttp::verb::get && method != bhttp::verb::head &&
           method != bhttp::verb::options;
}

RequestAuth::RequestAuth(app::SessionService& sessions, BasicAuthenticator& basic,
                         app::UserRepo& users, app::ApiTokens& tokens, CookieOptions cookie)
    : sessions_(sessions), basic_(basic), users_(users), tokens_(tokens), cookie_(cookie) {}

std::string RequestAuth::SessionId(const Request& request) {
    return CookieOf(request, kSessionCookie);
}

std::string RequestAuth::SetCookie(const std::string& session_id) const {
    std::string c =
        fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax", kSessionCookie, session_id);
    if (cookie_.secure) c += "; Secure";
    if (cookie_.max_age_s > 0) c += fmt::format("; Max-Age={}", cookie_.max_age_s);
    return c;
}

std::string RequestAuth::ClearCookie() const {
    std::string c = fmt::format("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", kSessionCookie);
    if (cookie_.secure) c += "; Secure";
    return c;
}

Result<std::vector<std::string>> RequestAuth::AddressesOf(const User& user) {
    auto aliases = users_.AliasesOf(user.id);
    if (!aliases) return std::unexpected(std::move(aliases.error()));
    return app::UserAddresses(user, *aliases);
}

Result<Principal> RequestAuth::FromSession(const Request& request, const std::string& id) {
    auto session = sessions_.Resolve(id);
    if (!session) return std::unexpected(std::move(session.error()));
    if (ChangesState(request.method)) {
        const std::string_view token = request.raw ? (*request.raw)["X-CSRF-Token"] : "";
        if (!sessions_.CsrfMatches(*session, token)) {
            return Fail(ErrorCode::kPermissionDenied,
                        "missing or wrong X-CSRF-Token (reload the page)");
        }
    }
    return ForRecord(*session);
}

Result<Principal> RequestAuth::ForRecord(const app::SessionRecord& session) {
    auto user = users_.FindById(session.user_id);
    if (!user) {
        if (user.error().code == ErrorCode::kNotFound) {
            return Fail(ErrorCode::kUnauthenticated, "not logged in");
        }
        return std::unexpected(std::move(user.error()));
    }
    Principal p;
    p.user = std::move(*user);
    if (session.impersonator_id) {
        // "Login as" lasts only while its admin is one (a deleted or demoted
        // admin's sessions are deleted too; this also covers a race with it).
        auto admin = users_.FindById(*session.impersonator_id);
        if (!admin && admin.error().code != ErrorCode::kNotFound) {
            return std::unexpected(std::move(admin.error()));
        }
        if (!admin || !admin->is_admin) return Fail(ErrorCode::kUnauthenticated, "not logged in");
        p.impersonator = std::move(*admin);
    }
    p.session = session;
    auto addresses = AddressesOf(p.user);
    if (!addresses) return std::unexpected(std::move(addresses.error()));
    p.addresses = std::move(*addresses);
    return p;
}

Result<Principal> RequestAuth::FromToken(std::string_view secret) {
    auto holder = tokens_.Authenticate(secret);
    if (!holder) return std::unexpected(std::move(holder.error()));
    auto addresses = AddressesOf(holder->user);
    if (!addresses) return std::unexpected(std::move(addresses.error()));
    Principal p;
    p.user = std::move(holder->user);
    p.addresses = std::move(*addresses);
    p.token = std::move(holder->token);
    return p;
}

Result<Principal> RequestAuth::Check(const Request& request, bool need_admin) {
    Result<Principal> p = std::unexpected(Error{});
    const std::optional<std::string_view> bearer =
        request.raw ? AuthCredentials((*request.raw)[bhttp::field::authorization], "bearer")
                    : std::nullopt;
    if (bearer) {
        p = FromToken(*bearer);
    } else if (const std::string id = SessionId(request); !id.empty()) {
        p = FromSession(request, id);
    } else {
        auto user = basic_.Check(request, /*need_admin=*/false);
        if (!user) return std::unexpected(std::move(user.error()));
        auto addresses = AddressesOf(*user);
        if (!addresses) return std::unexpected(std::move(addresses.error()));
        p = Principal{std::move(*user), std::move(*addresses), std::nullopt, std::nullopt,
                      std::nullopt};
    }
    if (!p) return p;
    if (need_admin && !p->user.is_admin) {
        return Fail(ErrorCode::kPermissionDenied, "administrators only");
    }
    return p;
}

app::Actor ActorOf(const Principal& principal, const Request& request) {
    return app::Actor{principal.user.id, principal.user.username, request.client_ip,
                      principal.impersonator ? principal.impersonator->username : std::string(),
                      principal.token ? principal.token->name : std::string(),
                      principal.session ? std::optional(principal.session->created_at)
                                        : std::nullopt};
}

}  // namespace rqwatch::http
