#include "auth/ldap_connection.hpp"

#include <sys/time.h>

#include <cctype>

namespace rqwatch::auth {
namespace {

// Debian's bundle of the system CAs: the trust anchors when neither the
// settings nor ldap.conf name any (libldap's GnuTLS backend has no implicit
// system trust).
constexpr const char* kSystemCaFile = "/etc/ssl/certs/ca-certificates.crt";

Error Unavailable(std::string detail) {
    return Error{ErrorCode::kUnavailable, "directory unavailable", std::move(detail)};
}

bool UsesTls(const LdapSettings& settings) {
    if (settings.start_tls) return true;
    std::string lower = settings.url;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("ldaps://") != std::string::npos;
}

// What to check when a TLS connection fails: GnuTLS's own message for a
// certificate libldap rejects is often just "(unknown error code)".
std::string TlsHint(const LdapSettings& settings) {
    if (!UsesTls(settings)) return {};
    return " (TLS: is the server certificate signed by " +
           (settings.ca_file.empty() ? std::string("a system CA") : settings.ca_file) +
           " and issued for the host name in the URL?)";
}

// libldap initialises its TLS library on the first new TLS context without
// a lock (tls2.c tls_init); doing that once here, behind a thread-safe
// static, keeps concurrent first logins from racing on it.
bool WarmUpTls() {
    LDAP* raw = nullptr;
    if (ldap_initialize(&raw, "ldap://127.0.0.1") != LDAP_SUCCESS) return false;
    LdapPtr ld(raw);
    int is_server = 0;
    // The result does not matter (a broken default CA file fails here, and
    // again, with a reason, at the real connection): the library is initialised.
    (void)ldap_set_option(ld.get(), LDAP_OPT_X_TLS_NEWCTX, &is_server);
    return true;
}

bool HasOption(LDAP* ld, int option) {
    char* value = nullptr;
    if (ldap_get_option(ld, option, &value) != LDAP_OPT_SUCCESS) return false;
    LdapStringPtr owned(value);
    return value != nullptr && *value != '\0';
}

// Certificate checks on, TLS 1.2 or later, the CA file, then a context of
// the handle's own built from those options (LDAP_OPT_X_TLS_NEWCTX).
Result<void> SetUpTls(LDAP* ld, const LdapSettings& settings) {
    static const bool tls_ready = WarmUpTls();
    (void)tls_ready;
    int demand = LDAP_OPT_X_TLS_DEMAND;
    int min_protocol = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
    if (ldap_set_option(ld, LDAP_OPT_X_TLS_REQUIRE_CERT, &demand) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld, LDAP_OPT_X_TLS_PROTOCOL_MIN, &min_protocol) != LDAP_OPT_SUCCESS) {
        return std::unexpected(Unavailable("ldap: cannot set the TLS options"));
    }
    // A configured CA file is the only trust anchor: a CA directory from
    // ldap.conf would widen it.
    std::string ca_file = settings.ca_file;
    if (!ca_file.empty()) {
        if (ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTDIR, nullptr) != LDAP_OPT_SUCCESS) {
            return std::unexpected(Unavailable("ldap: cannot clear the CA directory"));
        }
    } else if (!HasOption(ld, LDAP_OPT_X_TLS_CACERTFILE) &&
               !HasOption(ld, LDAP_OPT_X_TLS_CACERTDIR)) {
        ca_file = kSystemCaFile;
    }
    if (!ca_file.empty() &&
        ldap_set_option(ld, LDAP_OPT_X_TLS_CACERTFILE, ca_file.c_str()) != LDAP_OPT_SUCCESS) {
        return std::unexpected(Unavailable("ldap: cannot set the CA file " + ca_file));
    }
    int is_server = 0;
    // libldap keeps the reason of a failure here to its debug log; the usual
    // one is a CA file that cannot be read or holds no PEM certificate.
    if (ldap_set_option(ld, LDAP_OPT_X_TLS_NEWCTX, &is_server) != LDAP_OPT_SUCCESS) {
        return std::unexpected(Unavailable(
            "ldap: cannot set up TLS with the CA file " +
            (ca_file.empty() ? std::string("of ldap.conf") : ca_file) + " (missing or not PEM?)"));
    }
    return {};
}

}  // namespace

Result<LdapConnection> OpenConnection(const LdapSettings& settings) {
    LdapConnection connection;
    LDAP* ld = nullptr;
    const int rc = ldap_initialize(&ld, settings.url.c_str());
    connection.ld_.reset(ld);
    if (rc != LDAP_SUCCESS || ld == nullptr) {
        return std::unexpected(
            Unavailable("ldap: bad url '" + settings.url + "': " + ldap_err2string(rc)));
    }
    int version = LDAP_VERSION3;
    const timeval timeout{settings.timeout_ms / 1000, (settings.timeout_ms % 1000) * 1000};
    // Referrals are not followed: chasing one would send the next request
    // (anonymously, to a server named by the answer) somewhere we did not choose.
    if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &timeout) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld, LDAP_OPT_TIMEOUT, &timeout) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS) {
        return std::unexpected(Unavailable("ldap: cannot set the connection options"));
    }
    if (UsesTls(settings)) {
        if (auto ok = SetUpTls(ld, settings); !ok) return std::unexpected(ok.error());
        connection.read_timeout_ =
            std::make_unique<ReadTimeout>(static_cast<int>(settings.timeout_ms));
        if (auto ok = connection.read_timeout_->InstallOn(ld); !ok) {
            return std::unexpected(ok.error());
        }
    }
    // Connecting now (rather than at the first request) tells a connection
    // or ldaps:// handshake failure apart from a refused bind.
    if (const int rc = ldap_connect(ld); rc != LDAP_SUCCESS) {
        return std::unexpected(Unavailable("ldap: cannot connect to " + settings.url + ": " +
                                           DescribeLdapError(ld, rc) +
                                           (settings.start_tls ? "" : TlsHint(settings))));
    }
    if (settings.start_tls) {
        if (const int rc = ldap_start_tls_s(ld, nullptr, nullptr); rc != LDAP_SUCCESS) {
            return std::unexpected(Unavailable("ldap: StartTLS with " + settings.url + " failed: " +
                                               DescribeLdapError(ld, rc) + TlsHint(settings)));
        }
    }
    return connection;
}

int SimpleBind(LDAP* ld, const std::string& dn, std::string_view password) {
    berval cred{};
    cred.bv_len = password.size();
    // libldap only reads the credentials; the cast is for its C signature.
    cred.bv_val = const_cast<char*>(password.data());
    return ldap_sasl_bind_s(ld, dn.c_str(), LDAP_SASL_SIMPLE, &cred, nullptr, nullptr, nullptr);
}

std::string DescribeLdapError(LDAP* ld, int rc) {
    std::string out = std::string(ldap_err2string(rc)) + " (" + std::to_string(rc) + ")";
    char* diagnostic = nullptr;
    if (ld != nullptr &&
        ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE, &diagnostic) == LDAP_OPT_SUCCESS) {
        LdapStringPtr owned(diagnostic);
        if (diagnostic != nullptr && *diagnostic != '\0') out += std::string(": ") + diagnostic;
    }
    return out;
}

}  // namespace rqwatch::auth
