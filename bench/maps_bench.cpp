// rqwatch-mapbench: the map benchmark of issue 6.
//
//   rqwatch-mapbench --url URL [--entries 100000] [--map ip_block]
//       fills the map through app::MapEditor (multi-insert of 10,000 lines
//       per call, as the API's add box does; each call timed), then times
//       the full body generation of the map (app::MapPublisher, cold: the
//       stamp, the database read, rendering and ETag), and each of those
//       steps alone, best of 5.
//       The 304 answer at concurrency 16 is measured with wrk by
//       scripts/bench-maps against `rqwatch serve` on the same database.
//
// Method and results: docs/benchmarks.md.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/audit_trail.hpp"
#include "app/map_editor.hpp"
#include "app/map_publisher.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/sql_audit_log.hpp"
#include "storage/sql_map_repo.hpp"
#include "util/ids.hpp"

using namespace rqwatch;

namespace {

double MsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
        .count();
}

// Distinct IPv4 addresses and IPv6 ranges: what an IP block list holds.
std::string Line(int i) {
    if (i % 4 == 3) return fmt::format("2001:db8:{:x}:{:x}::/64", (i >> 16) & 0xffff, i & 0xffff);
    return fmt::format("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"rqwatch map benchmark"};
    std::string url;
    int entries = 100'000;
    std::string name = "ip_block";
    app.add_option("--url", url, "database URL (sqlite:FILE, postgresql://…, mysql://…)")
        ->required();
    app.add_option("--entries", entries, "entries to put in the map")->capture_default_str();
    app.add_option("--map", name, "the map to fill")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    auto db = storage::Database::Open({.url = url, .pool_size = 4, .busy_timeout_ms = 60'000});
    if (!db) {
        std::fprintf(stderr, "open: %s (%s)\n", db.error().public_msg.c_str(),
                     db.error().detail.c_str());
        return 1;
    }
    if (auto m = storage::Migrate(**db); !m) {
        std::fprintf(stderr, "migrate: %s\n", m.error().detail.c_str());
        return 1;
    }
    storage::SqlMapRepo repo(*db);
    storage::SqlAuditLog audit_log(*db);
    app::AuditTrail audit(audit_log);
    app::MapEditor editor(repo, audit, app::MapEditorOptions{.max_lines = 10'000});
    const app::MapCaller admin{.actor = {.id = 0, .username = "bench"}, .admin = true};

    auto map = repo.Find(name);
    if (!map) {
        std::fprintf(stderr, "no map %s\n", name.c_str());
        return 1;
    }
    // Find() leaves entry_count 0: List() counts, so a second run on the
    // same database only measures the body.
    auto maps = repo.List();
    if (!maps) return 1;
    const auto listed = std::ranges::find(*maps, name, &app::MapInfo::name);
    if (listed != maps->end() && listed->entry_count == 0) {
        std::vector<double> inserts;
        for (int start = 0; start < entries; start += 10'000) {
            std::string text;
            for (int i = start; i < std::min(entries, start + 10'000); ++i) {
                text += Line(i);
                text += '\n';
            }
            const auto t0 = std::chrono::steady_clock::now();
            auto r = editor.AddLines(admin, name, text, {});
            const double ms = MsSince(t0);
            if (!r || !r->errors.empty()) {
                std::fprintf(stderr, "insert failed: %s\n",
                             !r ? r.error().detail.c_str()
                                : fmt::format("line {}: {}", r->errors[0].line,
                                              r->errors[0].message)
                                      .c_str());
                return 1;
            }
            inserts.push_back(ms);
        }
        std::ranges::sort(inserts);
        if (!inserts.empty()) {
            std::printf("multi-insert of 10,000 lines: median %.0f ms, max %.0f ms (%zu calls)\n",
                        inserts[inserts.size() / 2], inserts.back(), inserts.size());
        }
    }
    // Best of 5 of the whole cold Get and of each of its steps alone.
    double cold = 1e9, stamp = 1e9, read = 1e9, render = 1e9, etag = 1e9;
    auto best = [](double& slot, auto&& step) {
        const auto t0 = std::chrono::steady_clock::now();
        step();
        slot = std::min(slot, MsSince(t0));
    };
    std::size_t bytes = 0, count = 0;
    for (int run = 0; run < 5; ++run) {
        app::MapPublisher publisher(repo);  // a fresh cache: the full work
        Result<std::shared_ptr<const app::PublishedMap>> published;
        best(cold, [&] { published = publisher.Get(name); });
        if (!published) return 1;
        bytes = (*published)->body.size();
        count = (*published)->entries;
        const std::int64_t now = util::NowUnixMs();
        best(stamp, [&] { (void)repo.Stamp(name, now); });
        // Reading alone: the entries streamed into nothing.
        std::size_t seen = 0;
        best(read, [&] {
            (void)repo.EachLiveEntry(map->id, now, [&](std::string_view v, std::string_view) {
                seen += v.size();
            });
        });
        // Rendering alone, from entries already in memory.
        std::vector<app::MapEntry> entries;
        (void)repo.EachLiveEntry(map->id, now, [&](std::string_view v, std::string_view r) {
            entries.push_back({.value = std::string(v), .second = std::string(r)});
        });
        std::string body;
        best(render, [&] { body = app::RenderMap(*map, entries); });
        best(etag, [&] { (void)app::MapEtag(body); });
    }
    std::printf(
        "body of %zu entries (%zu bytes): %.1f ms (read + render, cold), of which alone: stamp "
        "%.1f ms, reading the entries %.1f ms, rendering %.1f ms, ETag %.1f ms\n",
        count, bytes, cold, stamp, read, render, etag);
    return 0;
}
