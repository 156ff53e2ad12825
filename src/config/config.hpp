#pragma once
// The typed configuration. Every key is declared once, in config_keys.cpp,
// with its default (the member initialisers below), bounds and documentation.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "auth/ldap_settings.hpp"
#include "auth/oidc_settings.hpp"
#include "core/cidr.hpp"

namespace rqwatch::config {

struct ServerConfig {
    std::string listen = "127.0.0.1:8480";
    std::int64_t io_threads = 2;
    std::int64_t worker_threads = 2;
    std::int64_t read_timeout_seconds = 30;
    std::int64_t write_timeout_seconds = 30;
    std::int64_t idle_timeout_seconds = 60;
    std::int64_t max_header_bytes = 256 * 1024;
    std::int64_t max_body_bytes = 50 * 1024 * 1024;
    std::int64_t max_connections = 1024;
    bool access_log = true;
};

struct DatabaseConfig {
    std::string url;  // "" = sqlite:<data_dir>/rqwatch.db; relative sqlite paths are resolved
    std::int64_t pool_size = 4;
};

struct SpoolConfig {
    std::string dir;  // "" = <data_dir>/spool
    bool fsync = true;
    std::int64_t min_free_mb = 100;
};

struct QuarantineConfig {
    std::string dir;  // "" = <data_dir>/quarantine
    bool users_may_delete = false;
};

struct GeoIpConfig {
    std::string database;  // MaxMind DB file; "" = no GeoIP
};

// How long mail is kept (the old system's QUARANTINE_DAYS and DATABASE_DAYS).
struct RetentionConfig {
    std::int64_t quarantine_days = 180;
    std::int64_t database_days = 366;
};

struct IngestConfig {
    bool enabled = true;
    std::string username;
    std::string password;  // secret
    std::vector<std::string> allow_from = {"127.0.0.0/8", "::1/128"};
    std::string node_name;  // "" = host name
};

struct StoreConfig {
    std::vector<std::string> actions = {"reject", "discard", "add header", "rewrite subject"};
    bool viruses = true;
    std::vector<std::string> virus_groups = {"antivirus"};
    bool unknown_actions = true;
};

struct ImporterConfig {
    std::int64_t batch_size = 200;
    std::int64_t poll_interval_ms = 100;
    std::int64_t batch_window_ms = 50;
    std::int64_t retry_interval_seconds = 5;
};

// Browser sessions of the web UI (server-side; the cookie holds a random id).
struct SessionConfig {
    std::int64_t idle_timeout_minutes = 240;  // the old system's IDLE_TIMEOUT of 4 h
    std::int64_t absolute_timeout_hours = 24;
    bool cookie_secure = true;
    std::string store = "sql";  // "sql" (the database) or "redis" (RedisConfig)
};

// The Redis that keeps the sessions when session.store = "redis": one server
// (url) or the master of a Sentinel group (sentinels + master_name).
struct RedisConfig {
    std::string url;  // redis://[:password@]host:port[/db]; secret (may hold the password)
    std::vector<std::string> sentinels;  // "host:port" of each Sentinel
    std::string master_name;             // the name the Sentinels monitor
    std::string password;                // of the data nodes; secret
    std::string sentinel_password;       // of the Sentinels; secret
    std::int64_t db = 0;
    std::string key_prefix = "rqwatch:";  // two installations can share one Redis
    std::int64_t timeout_ms = 2000;       // connecting, and each command
};

// LDAP login; auth::LdapSettings documents each field (the [ldap] keys map
// onto it one to one).
struct LdapConfig {
    bool enabled = false;
    auth::LdapSettings settings;
};

// Login throttling (per web node, in memory).
struct LoginConfig {
    std::int64_t max_failures_per_ip = 20;
    std::int64_t max_failures_per_user = 10;
    std::int64_t throttle_window_minutes = 15;
};

// Personal API tokens (app/api_tokens.hpp).
struct ApiTokensConfig {
    std::int64_t max_per_user = 20;
    std::int64_t max_lifetime_days = 3650;
};

// Allow/block maps (app/map_editor.hpp) and their readers (/maps/<name>.txt).
struct MapsConfig {
    bool users_see_admin_entries = true;
    bool users_edit_admin_entries = false;
    std::int64_t max_lines = 10000;
    std::string reader_username;
    std::string reader_password;  // secret; "" = no Basic auth for map readers
    std::vector<std::string> reader_allow_from = {"127.0.0.0/8", "::1/128"};
};

struct WebConfig {
    std::string assets_dir;  // "" = the UI embedded in the binary
};

struct LogConfig {
    std::string level = "info";
};

// Distributed mode: web nodes read quarantined mail from the ingest node
// that keeps it, over signed HTTP(S) (core/node_signature.hpp).
struct NodeApiConfig {
    std::string secret;  // shared by every node; "" = off; secret
    std::vector<std::string> allow_from = {"127.0.0.0/8", "::1/128"};
    std::vector<std::string> peers;  // "NAME=URL" of the nodes this one fetches from
    std::string ca_file;             // "" = the system's CAs
    std::int64_t timeout_seconds = 30;
};

// Releasing quarantined mail through an SMTP relay (app/mail_release.hpp).
struct ReleaseConfig {
    std::string smtp_host;  // "" = release off
    std::int64_t smtp_port = 25;
    std::string starttls = "required";  // required | optional | none
    std::string username;               // "" = no AUTH
    std::string password;               // secret
    std::string helo_name = "localhost";
    std::string ca_file;
    std::int64_t timeout_seconds = 30;
    std::string from;               // envelope sender (and From: of the attachment mode)
    std::string mode = "original";  // original | attachment
    std::string bypass_header;      // "Name: value" so the relay does not rescan; "" none
    // What a non-administrator's release does (app/release_requests.hpp):
    // direct | request | off.
    std::string user_release = "direct";
    std::vector<std::string> request_notify;  // told of each new release request
};

// `rqwatch notify`: digests of newly quarantined mail (app/notifier.hpp),
// sent through the [release] relay.
struct NotifyConfig {
    bool enabled = false;
    std::string from;      // envelope sender and From: of the digests
    std::string base_url;  // the web UI as users reach it, for the links
    std::string token_secret;  // secret: signs the one-click links; "" = no such links
    std::int64_t token_lifetime_hours = 72;
    std::int64_t max_score = 50;     // mails scoring above are not notified
    std::int64_t max_age_days = 30;  // 0 = any age
    bool per_message = false;
    // For users who left theirs unset and addresses without an account
    // (core/notify_schedule.hpp). "immediate": the old system mailed every
    // 5 minutes, so an upgraded install keeps what its users know.
    std::string default_frequency = "immediate";  // immediate | hourly | daily | weekly
    std::int64_t default_hour = 8;                  // local hour of daily/weekly digests
    std::string default_time_zone = "UTC";          // IANA name
};

// The Rspamd controllers rqwatch trains and reads statistics from
// (app/mail_learning.hpp, app/rspamd_stats.hpp).
struct RspamdConfig {
    std::vector<std::string> controllers;  // "NAME=URL"; NAME a node, or "*"
    std::string password;                  // secret
    std::string ca_file;
    std::int64_t timeout_seconds = 10;
    std::int64_t stats_refresh_seconds = 60;
    // Fuzzy learning (app/fuzzy_training.hpp): off while fuzzy_flag is 0.
    std::int64_t fuzzy_flag = 0;
    std::int64_t fuzzy_weight = 10;
    bool fuzzy_on_spam = true;
    bool fuzzy_del_on_ham = true;
};

struct Config {
    std::string data_dir = "data";
    ServerConfig server;
    DatabaseConfig database;
    SpoolConfig spool;
    QuarantineConfig quarantine;
    GeoIpConfig geoip;
    RetentionConfig retention;
    IngestConfig ingest;
    NodeApiConfig node_api;
    ReleaseConfig release;
    NotifyConfig notify;
    RspamdConfig rspamd;
    StoreConfig store;
    ImporterConfig importer;
    SessionConfig session;
    RedisConfig redis;
    LoginConfig login;
    ApiTokensConfig api_tokens;
    MapsConfig maps;
    LdapConfig ldap;
    // OpenID Connect login ([auth.oidc]; on when issuer is set);
    // auth::OidcSettings documents each field.
    auth::OidcSettings oidc;
    WebConfig web;
    LogConfig log;

    // Derived at load time (not keys): absolute paths, parsed values.
    std::string config_dir;  // directory relative paths are resolved against
    std::vector<Cidr> ingest_allow;
    std::vector<Cidr> node_api_allow;
    std::vector<Cidr> maps_reader_allow;
    std::map<std::string, std::string> node_api_peers;  // name -> base URL (no trailing /)
    std::map<std::string, std::string> rspamd_controllers;  // node name or "*" -> base URL
    std::string listen_host;
    std::uint16_t listen_port = 0;
};

}  // namespace rqwatch::config
