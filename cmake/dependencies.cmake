# Every dependency is a Debian 12 package (see docs/adr and ../shared STACK.md).
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS url)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 REQUIRED)
# OpenSSL 3 (libssl-dev): HMAC-SHA1 for TOTP codes (core/totp), which libsodium lacks.
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
pkg_check_modules(GMIME REQUIRED IMPORTED_TARGET gmime-3.0)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(SQLITE REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(GLIB REQUIRED IMPORTED_TARGET glib-2.0)
pkg_check_modules(MAXMINDDB REQUIRED IMPORTED_TARGET libmaxminddb)
# OpenLDAP 2.5 (libldap-dev); its ldap.pc pulls in lber.
pkg_check_modules(LDAP REQUIRED IMPORTED_TARGET ldap)
# libcurl 7.88 (libcurl4-openssl-dev) and OpenSSL 3 (libssl-dev): OpenID
# Connect login (HTTP to the provider, ID token signatures).
find_package(CURL 7.88 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
# hiredis 0.14 (libhiredis-dev): sessions in Redis, standalone or through Sentinel.
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)

# SOCI 4.0.3 in Debian ships no CMake package: link its libraries by name.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE soci_core REQUIRED)
find_library(SOCI_SQLITE3 soci_sqlite3 REQUIRED)
set(SOCI_LIBS ${SOCI_SQLITE3} ${SOCI_CORE} PkgConfig::SQLITE ${CMAKE_DL_LIBS})
