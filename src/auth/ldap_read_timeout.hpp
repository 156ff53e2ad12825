#pragma once
// A limit on how long one read may wait during the TLS handshake.
//
// libldap 2.5.13 (Debian 12) runs the handshake of ldaps:// and StartTLS
// without any time limit: against a server that accepts the TCP connection
// and then says nothing, it retries the first read for ever (measured: a
// login never returned, spinning a core), holding the login and the worker
// thread running it. LDAP_OPT_NETWORK_TIMEOUT covers only connect(),
// LDAP_OPT_TIMEOUT only the wait for LDAP messages. This pushes an I/O layer
// under TLS on each new connection that waits at most timeout_ms for data,
// then fails the read with ETIMEDOUT, which ends the handshake with an error.

#include <ldap.h>

#include "core/error.hpp"

namespace rqwatch::auth {

class ReadTimeout {
  public:
    explicit ReadTimeout(int timeout_ms);
    ReadTimeout(const ReadTimeout&) = delete;
    ReadTimeout& operator=(const ReadTimeout&) = delete;

    // Installs the layer on every connection `ld` opens from now on.
    // libldap keeps a pointer to this object: it must outlive `ld`.
    [[nodiscard]] Result<void> InstallOn(LDAP* ld);

  private:
    int timeout_ms_;
    ldap_conncb callbacks_{};
};

}  // namespace rqwatch::auth
