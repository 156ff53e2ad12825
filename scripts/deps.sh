# Debian 12 packages rqwatch needs; sourced by scripts/bootstrap and scripts/test.
# Every library is a Debian package (see docs/adr/0001-stack.md); nothing is downloaded at build time.
BUILD_PKGS=(build-essential cmake ninja-build pkg-config
            libboost1.81-dev libboost-url1.81-dev libsoci-dev libsqlite3-dev libgmime-3.0-dev
            nlohmann-json3-dev libspdlog-dev libfmt-dev libtomlplusplus-dev libcli11-dev libsodium-dev libmaxminddb-dev
            libcrypt-dev libldap-dev libhiredis-dev libcurl4-openssl-dev libssl-dev)
TEST_PKGS=(libgtest-dev libgmock-dev rspamd python3 curl sqlite3
           postgresql-15 postgresql-client-15 mariadb-server mariadb-client
           slapd ldap-utils openssl python3-yaml glewlwyd dbconfig-sqlite3
           redis-server redis-sentinel python3-aiosmtpd)

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
