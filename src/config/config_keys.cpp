#include "config/config_keys.hpp"

#include <limits>
#include <sstream>

namespace rqwatch::config {
namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

// Captureless lambdas convert to the plain function pointers of KeyDef::ref.
#define RQW_REF(type, member) \
    static_cast<type (*)(Config&)>([](Config& c) -> type { return c.member; })

std::vector<KeyDef> BuildKeys() {
    const std::vector<std::string> kActions = {"no action",       "greylist",    "add header",
                                               "rewrite subject", "soft reject", "reject",
                                               "discard"};
    return {
        {"data_dir", RQW_REF(std::string&, data_dir),
         "Directory for the spool, the quarantine and the SQLite database unless set "
         "individually. Relative paths are resolved against the config file's directory."},

        {"server.listen", RQW_REF(std::string&, server.listen),
         "Address and port to listen on: `host:port`, `[v6addr]:port`, `0.0.0.0:port`."},
        {"server.io_threads", RQW_REF(std::int64_t&, server.io_threads),
         "Threads that run the HTTP connections (never blocked by SQL or MIME work).", 1, 64},
        {"server.worker_threads", RQW_REF(std::int64_t&, server.worker_threads),
         "Threads for blocking work behind HTTP requests (SQL queries, password checks).", 1, 64},
        {"server.read_timeout_seconds", RQW_REF(std::int64_t&, server.read_timeout_seconds),
         "Longest time to receive one whole request (headers and body).", 1, 3600},
        {"server.write_timeout_seconds", RQW_REF(std::int64_t&, server.write_timeout_seconds),
         "Longest time to send one response.", 1, 3600},
        {"server.idle_timeout_seconds", RQW_REF(std::int64_t&, server.idle_timeout_seconds),
         "How long a keep-alive connection may wait for its next request.", 1, 3600},
        {"server.max_header_bytes", RQW_REF(std::int64_t&, server.max_header_bytes),
         "Largest request header block. Rspamd 3.4 sends ~23 KB of X-Rspamd-* headers for 300 "
         "recipients, so at least 64 KiB.",
         64 * 1024, 16 * 1024 * 1024},
        {"server.max_body_bytes", RQW_REF(std::int64_t&, server.max_body_bytes),
         "Largest request body (one mail). Larger requests get 413 before the body is read.", 1,
         kMaxInt},
        {"server.max_connections", RQW_REF(std::int64_t&, server.max_connections),
         "Connections served at once; further clients wait in the kernel's accept queue.", 1,
         1000000},
        {"server.access_log", RQW_REF(bool&, server.access_log),
         "Log one line per HTTP request (method, path, status, bytes, time, request id)."},

        {"database.url",
         RQW_REF(std::string&, database.url),
         "Which SQL engine and where: `sqlite:FILE` (embedded; a relative FILE is resolved "
         "against the config file's directory), `postgresql://USER:PASSWORD@HOST:5432/DB` "
         "(any libpq URL parameter, e.g. `?sslmode=verify-full&sslrootcert=/etc/ssl/ca.pem`) or "
         "`mysql://USER:PASSWORD@HOST:3306/DB` for MariaDB/MySQL (options `ssl_ca`, `ssl_cert`, "
         "`ssl_key`, `charset`, `connect_timeout`, `read_timeout`, `write_timeout`, "
         "`unix_socket`). Percent-encode special characters in the password. Empty means "
         "`sqlite:<data_dir>/rqwatch.db`.",
         0,
         0,
         {},
         true},
        {"database.pool_size", RQW_REF(std::int64_t&, database.pool_size),
         "Open database connections shared by the importer and the API.", 2, 256},

        {"spool.dir", RQW_REF(std::string&, spool.dir),
         "Where acknowledged but not yet imported mails wait, as append-only segment files; "
         "empty means `<data_dir>/spool`. A fast local disk: every ingest request waits for "
         "one fdatasync here (shared by concurrent requests)."},
        {"spool.fsync", RQW_REF(bool&, spool.fsync),
         "Flush each spooled mail to disk before answering 200. Turning it off risks losing "
         "acknowledged mail on power failure; only for tests."},
        {"spool.min_free_mb", RQW_REF(std::int64_t&, spool.min_free_mb),
         "Answer 503 to ingest requests when the spool's file system has less free space.", 0,
         kMaxInt},

        {"quarantine.dir", RQW_REF(std::string&, quarantine.dir),
         "Where raw mails are kept as `<yyyy-mm-dd>/<id>.eml`; empty means "
         "`<data_dir>/quarantine`."},
        {"quarantine.users_may_delete", RQW_REF(bool&, quarantine.users_may_delete),
         "Let users delete quarantined mail addressed only to them (administrators always may; "
         "domain admins within their domains). Deleting removes the raw mail; the traffic record "
         "stays, marked deleted."},
        {"geoip.database", RQW_REF(std::string&, geoip.database),
         "MaxMind DB file (GeoLite2-Country, GeoIP2-Country or -City: anything with "
         "country.iso_code) that gives each mail the country of its sending IP at import, for "
         "search and reports. Empty: no countries. Private, loopback and link-local addresses get "
         "none. A relative path is resolved against the config file's directory."},

        {"retention.quarantine_days", RQW_REF(std::int64_t&, retention.quarantine_days),
         "`rqwatch purge` deletes the quarantined raw mail older than this many days; the row "
         "stays (shown as purged).",
         1, 36500},
        {"retention.database_days", RQW_REF(std::int64_t&, retention.database_days),
         "`rqwatch purge` deletes the rows (metadata) of mail older than this many days. Must "
         "be greater than `retention.quarantine_days`.",
         1, 36500},

        {"session.idle_timeout_minutes", RQW_REF(std::int64_t&, session.idle_timeout_minutes),
         "A browser session ends after this long without a request.", 1, 7 * 24 * 60},
        {"session.absolute_timeout_hours", RQW_REF(std::int64_t&, session.absolute_timeout_hours),
         "A browser session ends this long after its login, active or not.", 1, 24 * 90},
        {"session.cookie_secure", RQW_REF(bool&, session.cookie_secure),
         "Mark the session cookie `Secure` (sent over HTTPS only). Turn it off only when the "
         "UI is reached over plain HTTP, as on `127.0.0.1` in local mode."},
        {"session.store",
         RQW_REF(std::string&, session.store),
         "Where the web UI's sessions are kept: `sql` (the database) or `redis` (see "
         "`redis.*`).",
         0,
         0,
         {"sql", "redis"}},

        {"redis.url",
         RQW_REF(std::string&, redis.url),
         "One Redis server for the sessions (session.store = \"redis\") and the Rspamd "
         "statistics the web nodes share: `redis://[:PASSWORD@]HOST:PORT[/DB]` "
         "(percent-encode special characters in the password). Set this or `redis.sentinels`, "
         "not both.",
         0,
         0,
         {},
         true},
        {"redis.sentinels", RQW_REF(std::vector<std::string>&, redis.sentinels),
         "Redis Sentinels as `HOST:PORT` (`[IPv6]:PORT`), asked in turn for the current master "
         "of `redis.master_name`; after a failover rqwatch asks again and carries on."},
        {"redis.master_name", RQW_REF(std::string&, redis.master_name),
         "The name the Sentinels monitor the master under (`sentinel monitor NAME ...`)."},
        {"redis.password",
         RQW_REF(std::string&, redis.password),
         "Password of the Redis servers (`requirepass`); with `redis.url` it may be given in the "
         "URL instead.",
         0,
         0,
         {},
         true},
        {"redis.sentinel_password",
         RQW_REF(std::string&, redis.sentinel_password),
         "Password of the Sentinels (their `requirepass`); empty: none.",
         0,
         0,
         {},
         true},
        {"redis.db", RQW_REF(std::int64_t&, redis.db),
         "Redis database number (`SELECT`); with `redis.url` it may be given as `/DB` instead.", 0,
         2147483647},
        {"redis.key_prefix", RQW_REF(std::string&, redis.key_prefix),
         "Prefix of every key rqwatch writes, so that two installations can share one Redis."},
        {"redis.timeout_ms", RQW_REF(std::int64_t&, redis.timeout_ms),
         "Limit for connecting to Redis or a Sentinel, and for each command.", 10, 600000},
        {"login.max_failures_per_ip", RQW_REF(std::int64_t&, login.max_failures_per_ip),
         "Failed logins from one IP address within `login.throttle_window_minutes` after which "
         "that address gets 429 (even with a right password) until the window moves on.",
         1, 100000},
        {"login.max_failures_per_user", RQW_REF(std::int64_t&, login.max_failures_per_user),
         "Failed logins for one username within the window after which logins for that name "
         "get 429, from any address.",
         1, 100000},
        {"login.throttle_window_minutes", RQW_REF(std::int64_t&, login.throttle_window_minutes),
         "The window over which failed logins are counted. Counters are per web node and kept "
         "in memory.",
         1, 24 * 60},
        {"api_tokens.max_per_user", RQW_REF(std::int64_t&, api_tokens.max_per_user),
         "Personal API tokens one user may have; creating one more gets 409.", 1, 1000},
        {"api_tokens.max_lifetime_days", RQW_REF(std::int64_t&, api_tokens.max_lifetime_days),
         "The largest `expires_in_days` a new API token may ask for (a token created without "
         "one is valid until revoked).",
         1, 36500},

        {"maps.users_see_admin_entries", RQW_REF(bool&, maps.users_see_admin_entries),
         "Users see the entries administrators made for their addresses in combined and "
         "personal maps (read-only unless `maps.users_edit_admin_entries`)."},
        {"maps.users_edit_admin_entries", RQW_REF(bool&, maps.users_edit_admin_entries),
         "Users may also edit, disable and delete those administrators' entries."},
        {"maps.max_lines", RQW_REF(std::int64_t&, maps.max_lines),
         "Most lines one add or import of map entries may have (each line is checked on its "
         "own; bad lines are reported, the others added).",
         1, 100000},
        {"maps.reader_username", RQW_REF(std::string&, maps.reader_username),
         "HTTP Basic user that map readers (Rspamd) must send for `/maps/<name>.txt`, when "
         "`maps.reader_password` is set."},
        {"maps.reader_password",
         RQW_REF(std::string&, maps.reader_password),
         "HTTP Basic password for `/maps/<name>.txt`; empty: no authentication (the "
         "allow-list still applies).",
         0,
         0,
         {},
         true},
        {"maps.reader_allow_from", RQW_REF(std::vector<std::string>&, maps.reader_allow_from),
         "Client addresses allowed to read `/maps/<name>.txt`, as IPv4/IPv6 addresses or CIDR "
         "ranges."},

        {"ldap.enabled", RQW_REF(bool&, ldap.enabled),
         "Check the passwords of users without a local account against LDAP; such a user "
         "gets an account at the first login, refreshed at every login (address, name, admin "
         "flag, aliases)."},
        {"ldap.url", RQW_REF(std::string&, ldap.settings.url),
         "One or more space-separated `ldap://` or `ldaps://` URIs, tried in order."},
        {"ldap.start_tls", RQW_REF(bool&, ldap.settings.start_tls),
         "Upgrade `ldap://` connections with StartTLS (a failed upgrade fails the login). "
         "Certificates and host names are always checked."},
        {"ldap.ca_file", RQW_REF(std::string&, ldap.settings.ca_file),
         "PEM file of the CA(s) that sign the server certificate; empty: the system's CAs."},
        {"ldap.bind_dn", RQW_REF(std::string&, ldap.settings.bind_dn),
         "Service account that searches for users; empty: search anonymously."},
        {"ldap.bind_password",
         RQW_REF(std::string&, ldap.settings.bind_password),
         "The service account's password.",
         0,
         0,
         {},
         true},
        {"ldap.base_dn", RQW_REF(std::string&, ldap.settings.base_dn),
         "Subtree searched for users, e.g. `ou=people,dc=example,dc=org`."},
        {"ldap.login_attribute", RQW_REF(std::string&, ldap.settings.login_attribute),
         "Attribute the login name is matched against (`uid`, `mail`, `sAMAccountName`)."},
        {"ldap.user_filter", RQW_REF(std::string&, ldap.settings.user_filter),
         "Extra filter AND-ed to the login match, e.g. `(objectClass=inetOrgPerson)`."},
        {"ldap.mail_attribute", RQW_REF(std::string&, ldap.settings.mail_attribute),
         "The user's address(es): the first in sort order is the primary address, the "
         "others become aliases. A user without one cannot log in."},
        {"ldap.alias_attributes",
         RQW_REF(std::vector<std::string>&, ldap.settings.alias_attributes),
         "Attributes with further addresses whose mail the user sees too."},
        {"ldap.name_attribute", RQW_REF(std::string&, ldap.settings.name_attribute),
         "Display name of the user."},
        {"ldap.admin_users", RQW_REF(std::vector<std::string>&, ldap.settings.admin_users),
         "Logins that are administrators (ASCII case ignored)."},
        {"ldap.admin_group_dn", RQW_REF(std::string&, ldap.settings.admin_group_dn),
         "DN of a group whose members are administrators; empty: none."},
        {"ldap.group_member_attribute", RQW_REF(std::string&, ldap.settings.group_member_attribute),
         "Member attribute of the admin group: `member`/`uniqueMember` (DNs) or `memberUid` "
         "(logins)."},
        {"ldap.timeout_ms", RQW_REF(std::int64_t&, ldap.settings.timeout_ms),
         "Limit for connecting and for each LDAP operation.", 100, 600000},

        {"auth.oidc.issuer", RQW_REF(std::string&, oidc.issuer),
         "OpenID Connect login: the provider's issuer identifier (its discovery document is "
         "`ISSUER/.well-known/openid-configuration` and must name exactly this issuer). Empty: "
         "no OpenID Connect login."},
        {"auth.oidc.client_id", RQW_REF(std::string&, oidc.client_id),
         "The client id rqwatch is registered under at the provider."},
        {"auth.oidc.client_secret",
         RQW_REF(std::string&, oidc.client_secret),
         "The client's secret (sent as HTTP Basic, `client_secret_basic`).",
         0,
         0,
         {},
         true},
        {"auth.oidc.redirect_uri", RQW_REF(std::string&, oidc.redirect_uri),
         "The public URL of rqwatch's callback, registered at the provider exactly so: "
         "`https://HOST/api/v1/session/oidc/callback`."},
        {"auth.oidc.scopes", RQW_REF(std::vector<std::string>&, oidc.scopes),
         "Scopes asked for; must contain `openid`."},
        {"auth.oidc.username_claim", RQW_REF(std::string&, oidc.username_claim),
         "ID token claim whose value is the rqwatch user name (1-128 of `A-Za-z0-9._+@-`). It "
         "must be unique and not changeable by the users themselves at the provider."},
        {"auth.oidc.email_claim", RQW_REF(std::string&, oidc.email_claim),
         "ID token claim with the user's address; a login without it, or whose "
         "`email_verified` is false, is refused."},
        {"auth.oidc.admin_claim", RQW_REF(std::string&, oidc.admin_claim),
         "ID token claim (a string or an array of strings, e.g. `groups`) that makes a user an "
         "administrator when it holds one of `auth.oidc.admin_values`; empty: none."},
        {"auth.oidc.admin_values", RQW_REF(std::vector<std::string>&, oidc.admin_values),
         "Values of `auth.oidc.admin_claim` that make a user an administrator, e.g. "
         "`[\"rqwatch-admins\"]`."},
        {"auth.oidc.admin_users", RQW_REF(std::vector<std::string>&, oidc.admin_users),
         "User names that are administrators when they log in with OpenID Connect (ASCII "
         "case ignored)."},
        {"auth.oidc.require_https", RQW_REF(bool&, oidc.require_https),
         "Refuse plain `http://` for the issuer, its endpoints and the redirect URI unless "
         "they are on loopback (127.0.0.1, ::1, localhost)."},
        {"auth.oidc.ca_file", RQW_REF(std::string&, oidc.ca_file),
         "PEM file of the CA(s) of the provider's certificate; empty: the system's CAs. "
         "Certificates and host names are always checked."},
        {"auth.oidc.timeout_ms", RQW_REF(std::int64_t&, oidc.timeout_ms),
         "Limit for each request to the provider (discovery, keys, token).", 100, 600000},
        {"auth.oidc.clock_skew_seconds", RQW_REF(std::int64_t&, oidc.clock_skew_seconds),
         "Tolerated difference between the provider's clock and rqwatch's when checking the "
         "ID token's `exp` and `iat`.",
         0, 600},
        {"auth.oidc.state_key",
         RQW_REF(std::string&, oidc.state_key),
         "Key (at least 32 characters, e.g. `openssl rand -base64 32`) of the encrypted cookie "
         "that carries a login in progress from the start to the callback. Empty: a random "
         "key per process, so a restart in between fails that login, and several web nodes "
         "behind one address need the same key.",
         0,
         0,
         {},
         true},

        {"ingest.enabled", RQW_REF(bool&, ingest.enabled),
         "Accept Rspamd metadata_exporter POSTs on this node."},
        {"ingest.username", RQW_REF(std::string&, ingest.username),
         "HTTP Basic user Rspamd must send (`user` in the metadata_exporter rule). Empty "
         "together with an empty password disables authentication (the allow-list still "
         "applies)."},
        {"ingest.password",
         RQW_REF(std::string&, ingest.password),
         "HTTP Basic password (`password` in the metadata_exporter rule).",
         0,
         0,
         {},
         true},
        {"ingest.allow_from", RQW_REF(std::vector<std::string>&, ingest.allow_from),
         "Client addresses allowed to POST, as IPv4/IPv6 addresses or CIDR ranges."},
        {"ingest.node_name", RQW_REF(std::string&, ingest.node_name),
         "Server name recorded when the request has no `?server=`; empty means this host's name."},

        {"node_api.secret",
         RQW_REF(std::string&, node_api.secret),
         "Distributed mode: the secret every node shares (at least 16 characters) to sign its "
         "requests for quarantined mail to the other nodes. Empty: this node neither serves nor "
         "fetches mail of other nodes.",
         0,
         0,
         {},
         true},
        {"node_api.allow_from", RQW_REF(std::vector<std::string>&, node_api.allow_from),
         "Addresses (IPv4/IPv6, CIDR ranges) of the web nodes allowed to read this node's "
         "quarantine."},
        {"node_api.peers", RQW_REF(std::vector<std::string>&, node_api.peers),
         "On a web node: the ingest nodes it reads quarantined mail from, as `NAME=URL` (NAME as "
         "in the mails' `server`, i.e. the node's `ingest.node_name`; URL its base, "
         "`https://mx1.example.org:8480`)."},
        {"node_api.ca_file", RQW_REF(std::string&, node_api.ca_file),
         "CA certificates (PEM) the peers' certificates are checked against; empty: the "
         "system's. Certificates and host names are always checked."},
        {"node_api.timeout_seconds", RQW_REF(std::int64_t&, node_api.timeout_seconds),
         "Time limit of one request to a peer.", 1, 600},

        {"release.smtp_host", RQW_REF(std::string&, release.smtp_host),
         "Releasing quarantined mail: the SMTP relay (host name or IP address) released mail is "
         "handed to. Empty: release is off (the release routes answer 503)."},
        {"release.smtp_port", RQW_REF(std::int64_t&, release.smtp_port),
         "The relay's port (25 or 587 for STARTTLS).", 1, 65535},
        {"release.starttls",
         RQW_REF(std::string&, release.starttls),
         "STARTTLS to the relay: `required` (fail unless the relay offers it), `optional` (use "
         "it when offered) or `none`. Certificates and host names are always checked under TLS.",
         0,
         0,
         {"required", "optional", "none"}},
        {"release.username", RQW_REF(std::string&, release.username),
         "User name for SMTP AUTH at the relay; empty: no AUTH."},
        {"release.password",
         RQW_REF(std::string&, release.password),
         "Password for SMTP AUTH at the relay.",
         0,
         0,
         {},
         true},
        {"release.helo_name", RQW_REF(std::string&, release.helo_name),
         "The name rqwatch gives in EHLO."},
        {"release.ca_file", RQW_REF(std::string&, release.ca_file),
         "CA certificates (PEM) the relay's certificate is checked against; empty: the system's."},
        {"release.timeout_seconds", RQW_REF(std::int64_t&, release.timeout_seconds),
         "Time limit of one SMTP transaction (connect, TLS, AUTH and the data).", 1, 600},
        {"release.from", RQW_REF(std::string&, release.from),
         "Envelope sender (MAIL FROM) of released mail, where bounces go; also the From: of the "
         "`attachment` mode. Required when release.smtp_host is set."},
        {"release.mode",
         RQW_REF(std::string&, release.mode),
         "`original`: the quarantined file byte for byte with an `X-Rqwatch-Released` trace "
         "header (and the bypass header) in front, so the copy keeps its Received trail, "
         "signatures and spam report. `attachment`: a new mail from release.from with the "
         "original attached as message/rfc822.",
         0,
         0,
         {"original", "attachment"}},
        {"release.bypass_header", RQW_REF(std::string&, release.bypass_header),
         "A header `Name: value` put in front of released mail so that the relay's Rspamd does "
         "not scan it again (match it with a settings rule there); empty: none. Keep the value "
         "secret enough that senders cannot forge it."},

        {"release.user_release",
         RQW_REF(std::string&, release.user_release),
         "What a user (not an administrator) may do with quarantined mail of theirs: `direct`: "
         "release it; `request`: ask for its release, which an administrator approves (the "
         "release happens then) or refuses, and the user is told by mail (the digests' "
         "one-click release links make a request too); `off`: neither. Administrators always "
         "release directly.",
         0,
         0,
         {"direct", "request", "off"}},
        {"release.request_notify", RQW_REF(std::vector<std::string>&, release.request_notify),
         "Addresses told by mail of each new release request (the administrators'); empty: "
         "nobody (the requests wait in the UI's \"Release requests\" page)."},

        {"notify.enabled", RQW_REF(bool&, notify.enabled),
         "`rqwatch notify` (run it from cron) sends each recipient of newly quarantined mail one "
         "digest (HTML and text) through the [release] relay. Needs release.smtp_host, "
         "notify.from and notify.base_url."},
        {"notify.from", RQW_REF(std::string&, notify.from),
         "Envelope sender and From: of the digests (`local@domain`)."},
        {"notify.base_url", RQW_REF(std::string&, notify.base_url),
         "The web UI as recipients reach it (`https://quarantine.example.org`): the digests "
         "link to BASE/mails/ID and to the one-click actions."},
        {"notify.token_secret",
         RQW_REF(std::string&, notify.token_secret),
         "Signs the one-click release/delete links of the digests (at least 32 characters); "
         "empty: the digests carry no such links.",
         0,
         0,
         {},
         true},
        {"notify.token_lifetime_hours", RQW_REF(std::int64_t&, notify.token_lifetime_hours),
         "How long a one-click link of a digest works.", 1, 720},
        {"notify.max_score", RQW_REF(std::int64_t&, notify.max_score),
         "Mails scoring above this are not notified (certain spam nobody wants to hear about).",
         -100000, 100000},
        {"notify.max_age_days", RQW_REF(std::int64_t&, notify.max_age_days),
         "Only mail received within this many days is notified; 0: any age.", 0, 3650},
        {"notify.per_message", RQW_REF(bool&, notify.per_message),
         "One mail per quarantined message instead of one digest per recipient."},
        {"notify.default_frequency",
         RQW_REF(std::string&, notify.default_frequency),
         "How often a recipient gets a digest unless their profile says otherwise (also for "
         "addresses without an account): `immediate` (every run of `rqwatch notify`), `hourly`, "
         "`daily` (at notify.default_hour local time) or `weekly` (Mondays at that hour). "
         "`immediate` is what the old system did (a mail every 5 minutes).",
         0,
         0,
         {"immediate", "hourly", "daily", "weekly"}},
        {"notify.default_hour", RQW_REF(std::int64_t&, notify.default_hour),
         "The local hour of daily and weekly digests unless a profile says otherwise.", 0, 23},
        {"notify.default_time_zone", RQW_REF(std::string&, notify.default_time_zone),
         "The time zone (IANA name, `Europe/Berlin`) of the hour and of the times a digest "
         "shows, unless a profile says otherwise."},

        {"rspamd.controllers", RQW_REF(std::vector<std::string>&, rspamd.controllers),
         "The Rspamd controllers rqwatch trains (learnspam/learnham, fuzzyadd/fuzzydel) and "
         "reads statistics "
         "from, as `NAME=URL`: NAME the node that scanned a mail (its `rspamd_server`, as "
         "metadata_exporter sends it, or else the ingest node name, `server`), or `*` for any "
         "other; URL the controller's base, `http://127.0.0.1:11334`. Empty: learning is off."},
        {"rspamd.password",
         RQW_REF(std::string&, rspamd.password),
         "The controllers' password (sent as the `Password` header); needed unless rqwatch "
         "connects from a `secure_ip` of the controller.",
         0,
         0,
         {},
         true},
        {"rspamd.ca_file", RQW_REF(std::string&, rspamd.ca_file),
         "CA certificates (PEM) for https controller URLs; empty: the system's."},
        {"rspamd.timeout_seconds", RQW_REF(std::int64_t&, rspamd.timeout_seconds),
         "Time limit of one request to a controller (learning sends the whole mail).", 1, 600},
        {"rspamd.stats_refresh_seconds", RQW_REF(std::int64_t&, rspamd.stats_refresh_seconds),
         "How often a background thread asks every controller for /stat; "
         "GET /api/v1/rspamd/stats answers from that cache at once. With [redis] set, the web "
         "nodes share the answers: one asks per controller and interval.",
         1, 86400},
        {"rspamd.fuzzy_flag", RQW_REF(std::int64_t&, rspamd.fuzzy_flag),
         "The flag (the list in a `fuzzy_map`, e.g. 1 for FUZZY_DENIED) of a fuzzy_check rule "
         "with `read_only = false` that learning trains besides Bayes: spam adds the mail's "
         "fuzzy hashes (`/fuzzyadd`), ham deletes them (`/fuzzydel`). 0: no fuzzy learning.",
         0, 4294967295},
        {"rspamd.fuzzy_weight", RQW_REF(std::int64_t&, rspamd.fuzzy_weight),
         "The weight of one fuzzy add (the `Weight` header; FUZZY_* scores grow with it up to "
         "the list's max_score).",
         1, 1000000},
        {"rspamd.fuzzy_on_spam", RQW_REF(bool&, rspamd.fuzzy_on_spam),
         "Learning as spam adds the fuzzy hashes (when rspamd.fuzzy_flag is set)."},
        {"rspamd.fuzzy_del_on_ham", RQW_REF(bool&, rspamd.fuzzy_del_on_ham),
         "Learning as ham deletes the fuzzy hashes, so that a released false positive stops "
         "matching (when rspamd.fuzzy_flag is set)."},

        {"store.actions", RQW_REF(std::vector<std::string>&, store.actions),
         "Rspamd actions whose raw mail is kept in the quarantine (metadata is always kept).", 0, 0,
         kActions},
        {"store.viruses", RQW_REF(bool&, store.viruses),
         "Always keep the raw mail when a symbol of a virus group fired."},
        {"store.virus_groups", RQW_REF(std::vector<std::string>&, store.virus_groups),
         "Symbol groups that mean \"virus found\"."},
        {"store.unknown_actions", RQW_REF(bool&, store.unknown_actions),
         "Keep the raw mail for actions rqwatch does not know (e.g. custom ones)."},

        {"importer.batch_size", RQW_REF(std::int64_t&, importer.batch_size),
         "Spooled mails imported per SQL transaction.", 1, 10000},
        {"importer.poll_interval_ms", RQW_REF(std::int64_t&, importer.poll_interval_ms),
         "How often the importer looks for work when it was not woken by a new mail.", 10, 60000},
        {"importer.batch_window_ms", RQW_REF(std::int64_t&, importer.batch_window_ms),
         "After new mail arrives, wait this long for more before importing, so that a trickle "
         "of mail costs one transaction per window rather than one per mail. Mail shows up in "
         "the UI this much later.",
         0, 10000},
        {"importer.retry_interval_seconds", RQW_REF(std::int64_t&, importer.retry_interval_seconds),
         "Pause after a failed import (database down, disk full) before trying again.", 1, 3600},

        {"web.assets_dir", RQW_REF(std::string&, web.assets_dir),
         "Serve the web UI from this folder (a `npm run build` output, read at each request) "
         "instead of the copy built into the binary; for developing the UI. Empty: the built-in "
         "UI. A relative path is resolved against the config file's directory."},

        {"log.level",
         RQW_REF(std::string&, log.level),
         "Log level.",
         0,
         0,
         {"trace", "debug", "info", "warn", "error"}},
    };
}

#undef RQW_REF

std::string Quote(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "\"";
}

}  // namespace

const std::vector<KeyDef>& ConfigKeys() {
    static const std::vector<KeyDef> keys = BuildKeys();
    return keys;
}

std::string DefaultAsToml(const KeyDef& key) {
    Config defaults;
    struct Visitor {
        Config& c;
        std::string operator()(StringRef r) const { return Quote(r(c)); }
        std::string operator()(IntRef r) const { return std::to_string(r(c)); }
        std::string operator()(BoolRef r) const { return r(c) ? "true" : "false"; }
        std::string operator()(ListRef r) const {
            std::string out = "[";
            for (const auto& s : r(c)) out += (out.size() > 1 ? ", " : "") + Quote(s);
            return out + "]";
        }
    };
    return std::visit(Visitor{defaults}, key.ref);
}

std::string RenderReferenceMarkdown() {
    std::ostringstream out;
    out << "| key | default | meaning |\n|---|---|---|\n";
    for (const auto& k : ConfigKeys()) {
        std::string doc = k.doc;
        if (std::holds_alternative<IntRef>(k.ref)) {
            doc += " Range " + std::to_string(k.min) + "–" +
                   (k.max == kMaxInt ? std::string("∞") : std::to_string(k.max)) + ".";
        }
        if (!k.choices.empty()) {
            doc += " One of:";
            for (const auto& c : k.choices) doc += " `" + c + "`";
            doc += ".";
        }
        if (k.secret) {
            doc += " Secret: may instead be given as `" + k.path +
                   "_env` (name of an environment "
                   "variable) or `" +
                   k.path + "_file` (path of a file holding it).";
        }
        out << "| `" << k.path << "` | `" << DefaultAsToml(k) << "` | " << doc << " |\n";
    }
    return out.str();
}

}  // namespace rqwatch::config
