#include "auth/ldap_read_timeout.hpp"

#include <poll.h>

#include <cerrno>

namespace rqwatch::auth {
namespace {

int Setup(Sockbuf_IO_Desc* sbiod, void* timeout_ms) {
    sbiod->sbiod_pvt = timeout_ms;
    return 0;
}

int Control(Sockbuf_IO_Desc* sbiod, int option, void* arg) {
    return LBER_SBIOD_CTRL_NEXT(sbiod, option, arg);
}

ber_slen_t Read(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    const int timeout_ms = *static_cast<const int*>(sbiod->sbiod_pvt);
    ber_socket_t fd = -1;
    ber_sockbuf_ctrl(sbiod->sbiod_sb, LBER_SB_OPT_GET_FD, &fd);
    // Non-blocking sockets too: during the handshake libldap makes the socket
    // non-blocking and retries EAGAIN without any limit, i.e. spins. LDAP
    // messages are read only after libldap's own poll saw data, so this wait
    // does not delay them.
    if (fd >= 0) {
        pollfd p{fd, POLLIN, 0};
        int ready = 0;
        do {
            ready = ::poll(&p, 1, timeout_ms);
        } while (ready < 0 && errno == EINTR);
        if (ready == 0) {
            // Not EAGAIN, which the handshake would retry.
            errno = ETIMEDOUT;
            return -1;
        }
    }
    return LBER_SBIOD_READ_NEXT(sbiod, buf, len);
}

ber_slen_t Write(Sockbuf_IO_Desc* sbiod, void* buf, ber_len_t len) {
    return LBER_SBIOD_WRITE_NEXT(sbiod, buf, len);
}

Sockbuf_IO kReadTimeoutIo = {Setup, nullptr, Control, Read, Write, nullptr};

// Called right after connect(), before libldap adds its TCP layer (at
// LBER_SBIOD_LEVEL_PROVIDER) and long before TLS (LBER_SBIOD_LEVEL_TRANSPORT).
// Layers are ordered by level, so one level above the provider puts this
// layer between the two, whichever is added first.
constexpr int kLevel = LBER_SBIOD_LEVEL_PROVIDER + 1;
static_assert(kLevel < LBER_SBIOD_LEVEL_TRANSPORT);

int OnConnect(LDAP*, Sockbuf* sb, LDAPURLDesc*, sockaddr*, ldap_conncb* ctx) {
    return ber_sockbuf_add_io(sb, &kReadTimeoutIo, kLevel, ctx->lc_arg);
}

void OnClose(LDAP*, Sockbuf*, ldap_conncb*) {}

}  // namespace

ReadTimeout::ReadTimeout(int timeout_ms) : timeout_ms_(timeout_ms) {
    callbacks_.lc_add = OnConnect;
    callbacks_.lc_del = OnClose;
    callbacks_.lc_arg = &timeout_ms_;
}

Result<void> ReadTimeout::InstallOn(LDAP* ld) {
    if (ldap_set_option(ld, LDAP_OPT_CONNECT_CB, &callbacks_) != LDAP_OPT_SUCCESS) {
        return Fail(ErrorCode::kUnavailable, "directory unavailable",
                    "ldap: cannot install the read timeout");
    }
    return {};
}

}  // namespace rqwatch::auth
