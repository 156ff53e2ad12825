#include "cli/cli.hpp"

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace rqwatch::cli {

int RunCli(int argc, char** argv, const char* version) {
    CLI::App app{"rqwatch: quarantine, mail-traffic monitor and map manager for Rspamd"};
    app.set_version_flag("--version", std::string("rqwatch ") + version);
    app.require_subcommand(1);
    std::string config;
    auto add_config = [&config](CLI::App* sub) {
        sub->add_option(
            "-c,--config", config,
            "configuration file (default: ./rqwatch.toml, then /etc/rqwatch/rqwatch.toml)");
    };

    auto* serve = app.add_subcommand("serve", "run rqwatch (ingest, importer, API) until SIGTERM");
    add_config(serve);
    auto* check =
        app.add_subcommand("check-config", "validate the configuration and report every problem");
    add_config(check);
    auto* migrate = app.add_subcommand("migrate", "create or upgrade the database schema");
    add_config(migrate);
    auto* reference =
        app.add_subcommand("config-reference", "print every configuration key as Markdown");

    auto* user = app.add_subcommand("user", "manage local users");
    user->require_subcommand(1);
    UserAddArgs add_args;
    auto* user_add = user->add_subcommand("add", "add a local user");
    user_add->add_option("name", add_args.username, "login name")->required();
    user_add->add_option("--email", add_args.email, "the user's primary e-mail address")
        ->required();
    user_add->add_flag("--admin", add_args.admin, "make the user an administrator");
    user_add->add_flag("--password-stdin", add_args.password_stdin,
                       "read the password from standard input");
    add_config(user_add);

    auto* mails = app.add_subcommand("mails", "look at stored mail");
    mails->require_subcommand(1);
    MailsSearchArgs search_args;
    auto* mails_search = mails->add_subcommand(
        "search", "search mails, newest first (the filters of GET /api/v1/mails)");
    mails_search->add_option("-f,--filter", search_args.filters,
                             "FIELD:OP:VALUE, repeatable, all must hold (e.g. action:eq:reject, "
                             "score:ge:6, rcpt_to:contains:@example.org, symbol:eq:BAYES_SPAM)");
    mails_search->add_option("--day", search_args.day, "only this day (YYYY-MM-DD or today, UTC)");
    mails_search->add_option("--limit", search_args.limit, "mails per page (1-1000)")
        ->capture_default_str();
    mails_search->add_option("--before", search_args.before, "the page before this mail id");
    mails_search->add_flag("--json", search_args.json,
                           "print the page as JSON (as GET /api/v1/mails)");
    add_config(mails_search);

    PurgeArgs purge_args;
    auto* purge = app.add_subcommand(
        "purge", "apply retention: delete old quarantined mails and old rows (run it daily)");
    purge->add_flag("--dry-run", purge_args.dry_run,
                    "only count what would be deleted; change nothing");
    add_config(purge);

    auto* maps = app.add_subcommand("maps", "allow/block maps for Rspamd");
    maps->require_subcommand(1);
    MapsRspamdConfigArgs rspamd_args;
    auto* maps_rspamd = maps->add_subcommand(
        "rspamd-config", "print the multimap and Lua configuration for the maps that exist");
    maps_rspamd->add_option("--base-url", rspamd_args.base_url,
                            "where Rspamd reaches rqwatch (default: http://<server.listen>)");
    maps_rspamd->add_option("--lua-path", rspamd_args.lua_path,
                            "where rqwatch_maps.lua is installed")
        ->capture_default_str();
    maps_rspamd->add_option("--out-dir", rspamd_args.out_dir,
                            "write multimap.conf and rqwatch_maps.conf there instead");
    maps_rspamd->add_option("--allow-score", rspamd_args.allow_score, "score of an allow hit")
        ->capture_default_str();
    maps_rspamd->add_option("--block-score", rspamd_args.block_score, "score of a block hit")
        ->capture_default_str();
    maps_rspamd->add_option("--poll", rspamd_args.poll_seconds,
                            "per-map poll interval in seconds (0: Rspamd's map_watch_interval)");
    add_config(maps_rspamd);
    MapsExportArgs export_args;
    auto* maps_export = maps->add_subcommand(
        "export", "write every map as DIR/<name>.txt (atomically, only when changed)");
    maps_export->add_option("--dir", export_args.dir, "target directory")->required();
    add_config(maps_export);

    auto* notify = app.add_subcommand(
        "notify", "send each recipient a digest of newly quarantined mail (run it from cron)");
    add_config(notify);
    // For the integration tests of the schedules: runs as if the clock said
    // this (unix ms). Hidden from --help (group ""): never for production.
    std::optional<std::int64_t> notify_now;
    notify->add_option("--now-ms", notify_now, "pretend the time is this (unix ms; tests only)")
        ->group("")
        ->check(CLI::PositiveNumber);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    if (serve->parsed()) return RunServe(config, version);
    if (check->parsed()) return RunCheckConfig(config);
    if (migrate->parsed()) return RunMigrate(config);
    if (reference->parsed()) return RunConfigReference();
    if (user_add->parsed()) return RunUserAdd(config, add_args);
    if (mails_search->parsed()) return RunMailsSearch(config, search_args);
    if (purge->parsed()) return RunPurge(config, purge_args);
    if (maps_rspamd->parsed()) return RunMapsRspamdConfig(config, rspamd_args);
    if (maps_export->parsed()) return RunMapsExport(config, export_args);
    if (notify->parsed()) return RunNotify(config, notify_now);
    return 2;
}

}  // namespace rqwatch::cli
