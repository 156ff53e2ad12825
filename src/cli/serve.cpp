// rqwatch serve: runs the ingest endpoint, the importer and the JSON API in
// one process (local mode), until SIGTERM/SIGINT.

#include <spdlog/spdlog.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/digest_actions.hpp"
#include "app/importer.hpp"
#include "app/login.hpp"
#include "app/mail_learning.hpp"
#include "app/oidc_login.hpp"
#include "app/rspamd_stats.hpp"
#include "app/session_service.hpp"
#include "auth/ldap_directory.hpp"
#include "auth/oidc_client.hpp"
#include "auth/sodium_action_signer.hpp"
#include "auth/sodium_state_sealer.hpp"
#include "auth/sodium_token_source.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/session_store_factory.hpp"
#include "cli/smtp_sender_factory.hpp"
#include "core/database_url.hpp"
#include "geo/maxmind_geo_ip.hpp"
#include "geo/threaded_reverse_dns.hpp"
#include "http/admin_auth.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/request_auth.hpp"
#include "http/server.hpp"
#include "mime/gmime_content_parser.hpp"
#include "mime/gmime_mail_parser.hpp"
#include "net/http_remote_node.hpp"
#include "net/http_rspamd_controller.hpp"
#include "net/smtp_sender.hpp"
#include "quarantine/fs_blob_store.hpp"
#include "quarantine/fs_spool.hpp"
#include "redis/redis_shared_cache.hpp"
#include "storage/regexp_compiles.hpp"
#include "storage/sodium_password_hasher.hpp"
#include "storage/sql_action_token_repo.hpp"
#include "storage/sql_api_token_repo.hpp"
#include "storage/sql_audit_log.hpp"
#include "storage/sql_mail_action_repo.hpp"
#include "storage/sql_mail_repo.hpp"
#include "storage/sql_mail_reports.hpp"
#include "storage/sql_map_repo.hpp"
#include "storage/sql_oidc_subject_repo.hpp"
#include "storage/sql_release_request_repo.hpp"
#include "storage/sql_retention_repo.hpp"
#include "storage/sql_totp_repo.hpp"
#include "storage/sql_user_repo.hpp"
#include "util/fs.hpp"
#include "util/log.hpp"
#include "util/periodic_task.hpp"

namespace rqwatch::cli {

int RunServe(const std::string& config_path, const char* version) {
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    util::InitLogging(cfg->log.level);
    spdlog::info("rqwatch {} starting", version);

    if (auto r = util::MakeDirs(cfg->data_dir); !r) {
        PrintError("cannot create data directory " + cfg->data_dir, r.error());
        return 1;
    }
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/true);
    if (!db) return 1;
    auto spool = quarantine::FsSpool::Open(quarantine::SpoolOptions{
        .dir = cfg->spool.dir,
        .fsync = cfg->spool.fsync,
        .min_free_bytes = static_cast<std::uint64_t>(cfg->spool.min_free_mb) << 20});
    if (!spool) {
        PrintError("cannot open spool " + cfg->spool.dir, spool.error());
        return 1;
    }
    auto blobs = quarantine::FsBlobStore::Open(cfg->quarantine.dir, cfg->spool.fsync);
    if (!blobs) {
        PrintError("cannot open quarantine " + cfg->quarantine.dir, blobs.error());
        return 1;
    }
    storage::SqlMailRepo mails(db);
    storage::SqlMailReports reports(db);
    storage::SqlUserRepo users(db);
    storage::SodiumPasswordHasher hasher;
    mime::GMimeMailParser parser;

    // Declared before the importer, whose thread uses it until it stops.
    std::unique_ptr<geo::MaxmindGeoIp> geoip;
    if (!cfg->geoip.database.empty()) {
        auto opened = geo::MaxmindGeoIp::Open(cfg->geoip.database);
        if (!opened) {
            PrintError("geoip.database", opened.error());
            return 1;
        }
        geoip = std::move(*opened);
    }
    StorePolicy policy;
    policy.actions = {cfg->store.actions.begin(), cfg->store.actions.end()};
    policy.viruses = cfg->store.viruses;
    policy.virus_groups = {cfg->store.virus_groups.begin(), cfg->store.virus_groups.end()};
    policy.unknown_actions = cfg->store.unknown_actions;
    app::Importer importer(
        **spool, mails, **blobs, parser, policy,
        app::ImporterOptions{.batch_size = static_cast<std::size_t>(cfg->importer.batch_size),
                             .poll_interval_ms = cfg->importer.poll_interval_ms,
                             .batch_window_ms = cfg->importer.batch_window_ms,
                             .retry_interval_ms = cfg->importer.retry_interval_seconds * 1000});
    (*spool)->OnCommitted([&importer] { importer.Wake(); });
    if (geoip) importer.SetGeoIp(geoip.get());
    importer.Start();

    http::IngestHandler ingest(http::IngestSettings{.enabled = cfg->ingest.enabled,
                                                    .username = cfg->ingest.username,
                                                    .password = cfg->ingest.password,
                                                    .allow = cfg->ingest_allow,
                                                    .node_name = cfg->ingest.node_name,
                                                    .max_body_bytes = static_cast<std::uint64_t>(
                                                        cfg->server.max_body_bytes)},
                               **spool);
    const std::unique_ptr<app::SessionStore> session_store = MakeSessionStore(*cfg, db);
    storage::SqlAuditLog audit(db);
    auth::SodiumTokenSource tokens;
    app::SessionService sessions(
        *session_store, tokens,
        app::SessionOptions{
            .idle_timeout_ms = cfg->session.idle_timeout_minutes * 60'000,
            .absolute_timeout_ms = cfg->session.absolute_timeout_hours * 3'600'000});
    app::LoginThrottle throttle(app::ThrottleOptions{
        .max_failures_per_ip = static_cast<int>(cfg->login.max_failures_per_ip),
        .max_failures_per_user = static_cast<int>(cfg->login.max_failures_per_user),
        .window_ms = cfg->login.throttle_window_minutes * 60'000});
    std::unique_ptr<auth::LdapDirectory> ldap;
    if (cfg->ldap.enabled) ldap = std::make_unique<auth::LdapDirectory>(cfg->ldap.settings);
    app::AuditTrail audit_trail(audit);
    storage::SqlTotpRepo totp_repo(db);
    app::SecondFactor second_factor(totp_repo, users, hasher, tokens, throttle, audit_trail);
    app::Login login(users, hasher, audit, throttle, ldap.get(), {}, &second_factor);
    storage::SqlApiTokenRepo token_repo(db);
    app::ApiTokens api_tokens(
        token_repo, users, tokens, audit_trail,
        app::ApiTokenOptions{.max_per_user = static_cast<int>(cfg->api_tokens.max_per_user),
                             .max_lifetime_days = cfg->api_tokens.max_lifetime_days});
    app::Logout logout(sessions, audit_trail);
    app::UserAdmin user_admin(users, hasher, sessions, audit_trail);
    app::AliasAdmin alias_admin(users, audit_trail);
    app::Profile profile(users, hasher, sessions, throttle, audit_trail);
    app::Impersonation impersonation(users, sessions, audit_trail);
    http::BasicAuthenticator basic(users, hasher);
    const http::CookieOptions cookie{.secure = cfg->session.cookie_secure};
    http::RequestAuth auth(sessions, basic, users, api_tokens, cookie);
    // OpenID Connect login, when an issuer is configured.
    std::unique_ptr<auth::OidcClient> oidc_client;
    std::unique_ptr<auth::SodiumStateSealer> oidc_sealer;
    std::unique_ptr<app::OidcLogin> oidc_login;
    storage::SqlOidcSubjectRepo oidc_subjects(db);
    if (const auto& o = cfg->oidc; !o.issuer.empty()) {
        oidc_client = std::make_unique<auth::OidcClient>(o);
        oidc_sealer = std::make_unique<auth::SodiumStateSealer>(o.state_key);
        oidc_login = std::make_unique<app::OidcLogin>(
            *oidc_client, *oidc_sealer, tokens, users, oidc_subjects, audit, throttle,
            app::OidcLoginOptions{.username_claim = o.username_claim,
                                  .email_claim = o.email_claim,
                                  .admin_claim = o.admin_claim,
                                  .admin_values = o.admin_values,
                                  .admin_users = o.admin_users});
        // Only a warning: the provider may come up later; logins fail until it does.
        if (auto warm = oidc_client->Warm(); !warm) {
            spdlog::warn("oidc: provider {} not usable yet: {} ({})", o.issuer,
                         warm.error().public_msg, warm.error().detail);
        } else {
            spdlog::info("oidc: login through {} enabled", o.issuer);
        }
    }
    http::Router router;
    http::AddHealthRoutes(router, [&, version] {
        const auto stats = importer.Stats();
        return nlohmann::json{{"status", stats.last_error ? "degraded" : "ok"},
                              {"import_error", stats.last_error ? nlohmann::json(*stats.last_error)
                                                                : nlohmann::json()},
                              {"version", version},
                              {"spool_pending", (*spool)->Pending()},
                              {"imported_total", stats.imported_total},
                              {"import_failures_total", stats.failures_total},
                              {"set_aside_total", stats.set_aside_total}};
    });
    http::AddSessionRoutes(router, login, sessions, logout, impersonation, auth);
    http::AddOidcRoutes(router, oidc_login.get(), sessions, auth, cookie);
    http::AddUserAdminRoutes(router, user_admin, alias_admin, impersonation, auth);
    http::AddProfileRoutes(router, profile, auth);
    http::AddTokenRoutes(router, api_tokens, auth);
    http::AddTotpRoutes(router, second_factor, auth);
    http::AddAuditRoutes(router, audit, auth);
    geo::ThreadedReverseDns reverse_dns;
    mime::GMimeContentParser content_parser;
    storage::SqlRetentionRepo retention(db);
    // Distributed mode: mail kept on another node is read from it.
    net::HttpRemoteNode remote_node(
        cfg->node_api_peers, cfg->node_api.secret,
        net::FetchOptions{.timeout_ms = cfg->node_api.timeout_seconds * 1000,
                          .ca_file = cfg->node_api.ca_file,
                          .max_body_bytes = app::kMaxViewedMailBytes});
    app::MailViewer viewer(mails, **blobs, content_parser, geoip.get(), &reverse_dns,
                           cfg->node_api_peers.empty() ? nullptr : &remote_node,
                           app::ViewerOptions{.local_node = cfg->ingest.node_name});
    app::MailDeletion deletion(viewer, retention, **blobs, audit,
                               cfg->node_api_peers.empty() ? nullptr : &remote_node,
                               cfg->ingest.node_name, cfg->quarantine.users_may_delete);
    // Release through the SMTP relay, when one is configured.
    const auto& rel = cfg->release;
    std::unique_ptr<net::SmtpSender> smtp = MakeSmtpSender(rel);
    storage::SqlMailActionRepo mail_actions(db);
    app::MailRelease release(
        viewer, smtp.get(), mail_actions, audit,
        app::ReleaseOptions{.mode = rel.mode == "attachment" ? app::ReleaseMode::kAttachment
                                                             : app::ReleaseMode::kOriginal,
                            .from = rel.from,
                            .bypass_header = rel.bypass_header});
    // What a user's release does: release, ask an administrator, or nothing.
    storage::SqlReleaseRequestRepo release_request_repo(db);
    app::ReleaseRequests release_requests(
        release, release_request_repo, smtp.get(), audit,
        app::ReleaseRequestOptions{
            .user_release = rel.user_release == "request" ? app::UserRelease::kRequest
                            : rel.user_release == "off"   ? app::UserRelease::kOff
                                                          : app::UserRelease::kDirect,
            .notify = rel.request_notify,
            .from = rel.from,
            .base_url = cfg->notify.base_url});
    // The digests' one-click links (rqwatch notify), when they are signed.
    std::unique_ptr<auth::SodiumActionSigner> action_signer;
    storage::SqlActionTokenRepo used_tokens(db);
    std::unique_ptr<app::DigestActions> digest_actions;
    if (!cfg->notify.token_secret.empty()) {
        action_signer = std::make_unique<auth::SodiumActionSigner>(cfg->notify.token_secret);
        digest_actions = std::make_unique<app::DigestActions>(*action_signer, used_tokens, viewer,
                                                              release_requests, deletion);
    }
    // Training Rspamd and its statistics, when controllers are configured.
    net::HttpRspamdController controller(
        cfg->rspamd.password, net::FetchOptions{.timeout_ms = cfg->rspamd.timeout_seconds * 1000,
                                                .ca_file = cfg->rspamd.ca_file});
    std::unique_ptr<app::MailLearning> learning;
    std::unique_ptr<app::RspamdStats> rspamd_stats;
    // With [redis], the web nodes share the /stat answers (one asks per interval).
    std::unique_ptr<redis::RedisSharedCache> stats_cache;
    if (!cfg->rspamd_controllers.empty()) {
        if (auto client = MakeRedisClient(cfg->redis)) {
            stats_cache =
                std::make_unique<redis::RedisSharedCache>(std::move(client), cfg->redis.key_prefix);
        }
        learning = std::make_unique<app::MailLearning>(
            viewer, &controller, cfg->rspamd_controllers, mail_actions, audit,
            app::FuzzyTraining{.flag = cfg->rspamd.fuzzy_flag,
                               .weight = cfg->rspamd.fuzzy_weight,
                               .add_on_spam = cfg->rspamd.fuzzy_on_spam,
                               .delete_on_ham = cfg->rspamd.fuzzy_del_on_ham});
        rspamd_stats = std::make_unique<app::RspamdStats>(
            controller, cfg->rspamd_controllers,
            std::chrono::seconds(cfg->rspamd.stats_refresh_seconds), app::RspamdStats::Clock{},
            stats_cache.get());
        rspamd_stats->Start();
    }
    app::MailLearning no_learning(viewer, nullptr, {}, mail_actions, audit);
    http::AddMailRoutes(router, mails, viewer, deletion, release, release_requests, learning.get(),
                        auth);
    http::AddReleaseRoutes(router, release_requests, auth);
    http::AddReleaseRequestRoutes(router, release_requests, auth);
    http::AddDigestActionRoutes(router, digest_actions.get());
    http::AddLearnRoutes(router, learning ? *learning : no_learning, auth);
    http::AddRspamdStatsRoutes(router, rspamd_stats.get(), auth);
    http::AddMailContentRoutes(router, viewer, auth);
    http::AddNodeRoutes(router, viewer, deletion,
                        http::NodeApiSettings{cfg->node_api.secret, cfg->node_api_allow});
    http::AddReportRoutes(router, reports, auth);
    storage::SqlMapRepo map_repo(db);
    app::MapEditor map_editor(
        map_repo, audit_trail,
        app::MapEditorOptions{.users_see_admin_entries = cfg->maps.users_see_admin_entries,
                              .users_edit_admin_entries = cfg->maps.users_edit_admin_entries,
                              .max_lines = static_cast<std::size_t>(cfg->maps.max_lines)},
        storage::RegexpCompiles);
    app::MapPublisher map_publisher(map_repo);
    map_editor.OnChange(
        [&map_publisher](const std::string& name) { map_publisher.Invalidate(name); });
    http::AddMapRoutes(router, map_editor, map_publisher, auth,
                       http::MapReaderSettings{.allow = cfg->maps_reader_allow,
                                               .username = cfg->maps.reader_username,
                                               .password = cfg->maps.reader_password});
    // Last: the UI's page paths are single segments that must not shadow a literal route.
    const http::WebAssets web_assets = cfg->web.assets_dir.empty()
                                           ? http::WebAssets::Embedded(http::EmbeddedWebAssets())
                                           : http::WebAssets::FromDirectory(cfg->web.assets_dir);
    if (!cfg->web.assets_dir.empty()) {
        spdlog::info("web: serving the UI from {}", cfg->web.assets_dir);
    } else if (web_assets.Empty()) {
        spdlog::warn("web: this binary was built without the UI (RQWATCH_WEB=OFF)");
    }
    http::AddWebRoutes(router, web_assets);

    const auto& s = cfg->server;
    http::Server server(
        http::ServerOptions{.host = cfg->listen_host,
                            .port = cfg->listen_port,
                            .io_threads = static_cast<int>(s.io_threads),
                            .worker_threads = static_cast<int>(s.worker_threads),
                            .read_timeout_seconds = static_cast<int>(s.read_timeout_seconds),
                            .write_timeout_seconds = static_cast<int>(s.write_timeout_seconds),
                            .idle_timeout_seconds = static_cast<int>(s.idle_timeout_seconds),
                            .max_header_bytes = static_cast<std::uint32_t>(s.max_header_bytes),
                            .max_body_bytes = static_cast<std::uint64_t>(s.max_body_bytes),
                            .max_connections = static_cast<std::size_t>(s.max_connections),
                            .access_log = s.access_log},
        router, ingest);
    if (auto r = server.Listen(); !r) {
        PrintError("cannot start HTTP server", r.error());
        importer.Stop();
        return 1;
    }
    const std::string host = cfg->listen_host.find(':') != std::string::npos
                                 ? "[" + cfg->listen_host + "]"
                                 : cfg->listen_host;
    const std::string base = "http://" + host + ":" + std::to_string(server.Port());
    spdlog::info("listening on {} (data {}, database {}, spool {}, quarantine {})", base,
                 cfg->data_dir, RedactDatabaseUrl(cfg->database.url), cfg->spool.dir,
                 cfg->quarantine.dir);
    spdlog::info("rspamd metadata_exporter url: {}/api/v1/ingest?server={}", base,
                 cfg->ingest.node_name);
    // An approval cut short by a crash goes back to the administrators'
    // pending list (ReleaseRequests::ReopenInterrupted), checked at start and
    // then every few minutes, on every web node (the reopening is conditional).
    util::PeriodicTask interrupted_releases(
        "rqw-release-chk", std::chrono::minutes(5), [&release_requests] {
            if (auto n = release_requests.ReopenInterrupted(); !n) {
                spdlog::warn("release requests: cannot look for interrupted approvals: {} ({})",
                             n.error().public_msg, n.error().detail);
            }
        });
    server.Run();
    interrupted_releases.Stop();
    if (rspamd_stats) rspamd_stats->Stop();
    importer.Stop();
    (*spool)->Stop();
    spdlog::info("stopped; {} mails waiting in the spool will be imported at next start",
                 (*spool)->Pending());
    return 0;
}

}  // namespace rqwatch::cli
