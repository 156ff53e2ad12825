# Debian 12 packages rqwatch needs; sourced by scripts/bootstrap and scripts/test.
# Every library is a Debian package (see docs/adr/0001-stack.md); nothing is downloaded at build time.
BUILD_PKGS=(build-essential cmake ninja-build pkg-config
            libboost1.81-dev libboost-url1.81-dev libsoci-dev libsqlite3-dev libgmime-3.0-dev
            nlohmann-json3-dev libspdlog-dev libfmt-dev libtomlplusplus-dev libcli11-dev libsodium-dev libmaxminddb-dev
            libcrypt-dev libldap-dev libhiredis-dev libcurl4-openssl-dev libssl-dev zlib1g-dev gzip
            nodejs)
TEST_PKGS=(libgtest-dev libgmock-dev rspamd python3 curl sqlite3
           postgresql-15 postgresql-client-15 mariadb-server mariadb-client
           slapd ldap-utils openssl python3-yaml glewlwyd dbconfig-sqlite3
           redis-server redis-sentinel python3-aiosmtpd
           chromium)

# install_packages PKG...: apt-get installs whichever are missing (apt-get update once).
install_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "bootstrap: installing ${missing[*]}" >&2
    $sudo apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# The web UI (web/) is built by the normal build with npm (`npm ci` from
# web/package-lock.json); Vite 7 needs Node.js 20.19 or later. Debian 12's
# own nodejs is 18: machines that lack a newer one need NodeSource's
# nodejs 20 package. The browser tests drive Debian's chromium with
# playwright-core (an npm dev dependency; no browser is downloaded).
check_node() {
    local major
    major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')"
    if [ -z "$major" ] || [ "$major" -lt 20 ]; then
        echo "deps: Node.js >= 20 is needed to build the web UI (found: $(node --version 2>/dev/null || echo none))" >&2
        return 1
    fi
    command -v npm >/dev/null || { echo "deps: npm is missing" >&2; return 1; }
}
