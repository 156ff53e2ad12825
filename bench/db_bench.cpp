// rqwatch-dbbench: the search/statistics benchmark of issue 3.
//
//   rqwatch-dbbench generate --url URL --mails N [--days 365] [--seed 1]
//       fills an empty database (migrating it first) with realistic synthetic
//       mail rows: 100k senders, 5k recipients in 50 domains, the action mix
//       of a gateway (70 % no action), 8-18 symbols from a pool of 120, one
//       year of arrival times in id order, sizes from 2 KB to 2 MB.
//   rqwatch-dbbench query --url URL [--runs 15] [--explain]
//       runs the query mix (admin and user list pages, each operator kind,
//       symbol search, a day view, statistics and top reports over 30 days,
//       the quarantine days) and prints p50/p95 per query as a markdown table;
//       --explain also prints each list query's plan.
//
// Method and results: docs/benchmarks.md.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/database_url.hpp"
#include "core/mail_filter.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/sql_mail_repo.hpp"
#include "storage/sql_mail_reports.hpp"
#include "storage/statement.hpp"

using namespace rqwatch;

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kSenders = 100'000;
constexpr int kRecipients = 5'000;
constexpr int kRecipientDomains = 50;
constexpr int kSymbolPool = 120;

std::string Sender(int i) { return fmt::format("news{}@sender{}.example", i, i % 20'000); }
std::string Recipient(int i) {
    return fmt::format("user{}@dept{}.example.org", i, i % kRecipientDomains);
}

struct ActionShare {
    const char* action;
    double share;
    double score_lo;
    double score_hi;
};
// A gateway's traffic: mostly clean.
constexpr std::array<ActionShare, 6> kActions = {{
    {"no action", 0.70, -5, 4},
    {"add header", 0.12, 6, 14},
    {"reject", 0.10, 15, 40},
    {"greylist", 0.05, 4, 6},
    {"rewrite subject", 0.02, 8, 14},
    {"discard", 0.01, 20, 60},
}};

constexpr std::array<const char*, 24> kWords = {
    "invoice",  "meeting", "report",   "offer", "payment", "update",   "account", "order",
    "delivery", "urgent",  "weekly",   "news",  "sale",    "reminder", "project", "team",
    "security", "login",   "password", "prize", "winner",  "Grüße",    "договор", "请查收"};

int PickAction(std::mt19937_64& rng) {
    double x = std::uniform_real_distribution<double>(0, 1)(rng);
    for (std::size_t i = 0; i < kActions.size(); ++i) {
        if (x < kActions[i].share) return static_cast<int>(i);
        x -= kActions[i].share;
    }
    return 0;
}

MailRecord MakeMail(std::mt19937_64& rng, std::int64_t id, std::int64_t received_at) {
    MailRecord m;
    m.spool_id = fmt::format("gen-{:012}", id);
    m.received_at = received_at;
    m.server = fmt::format("mx{}", id % 3 + 1);
    m.qid = fmt::format("4X{:010X}", id * 2654435761ull % 0xFFFFFFFFFFull);
    const ActionShare& a = kActions[PickAction(rng)];
    m.action = a.action;
    m.score = std::uniform_real_distribution<double>(a.score_lo, a.score_hi)(rng);
    m.ip = fmt::format("{}.{}.{}.{}", 1 + rng() % 223, rng() % 256, rng() % 256, 1 + rng() % 254);
    // Senders follow a power law: a few send most of the mail.
    const int sender =
        static_cast<int>(std::pow(std::uniform_real_distribution<double>(0, 1)(rng), 3) * kSenders);
    m.mail_from = Sender(sender);
    const int rcpts = rng() % 100 < 85 ? 1 : 2 + static_cast<int>(rng() % 4);
    for (int i = 0; i < rcpts; ++i)
        m.rcpt_to.push_back(Recipient(static_cast<int>(rng() % kRecipients)));
    m.rspamd_server = "rspamd1";
    m.scan_time_ms = 10 + static_cast<std::int64_t>(rng() % 500);
    const int nsym = 8 + static_cast<int>(rng() % 11);
    const bool spam = m.score >= 6;
    m.symbols.push_back(
        Symbol{spam ? "BAYES_SPAM" : "BAYES_HAM", spam ? 5.1 : -3, "statistics", {}, {"99%"}});
    for (int i = 0; i < nsym; ++i) {
        const int s = static_cast<int>(rng() % kSymbolPool);
        m.symbols.push_back(Symbol{fmt::format("SYM_{:03}", s),
                                   (static_cast<int>(rng() % 400) - 100) / 100.0,
                                   "group",
                                   {},
                                   {}});
    }
    std::string subject;
    const int words = 3 + static_cast<int>(rng() % 6);
    for (int i = 0; i < words; ++i)
        subject += (i ? " " : "") + std::string(kWords[rng() % kWords.size()]);
    m.subject = subject + fmt::format(" #{}", id % 1000);
    m.mime_from = fmt::format("Sender {} <{}>", sender, m.mail_from);
    m.mime_from_addr = m.mail_from;
    m.mime_to = {{"", m.rcpt_to.front()}};
    m.message_id = fmt::format("{}@gen.example", id);
    m.mail_date = received_at / 1000;
    m.size = 2000 + static_cast<std::uint64_t>(
                        std::pow(std::uniform_real_distribution<double>(0, 1)(rng), 4) * 2'000'000);
    m.headers = fmt::format("Received: from mx.example by gw ({})\r\nSubject: {}\r\nX-Spam: {}\r\n",
                            id, m.subject, spam);
    m.has_virus = rng() % 1000 == 0;
    if (m.has_virus) {
        m.virus = "Eicar-Test-Signature";
        m.symbols.push_back(Symbol{"CLAM_VIRUS", 10, "antivirus", {}, {m.virus}});
    }
    m.stored = m.has_virus || m.action == "reject" || m.action == "discard" ||
               m.action == "add header" || m.action == "rewrite subject";
    if (m.stored) m.quarantine_path = fmt::format("{}/{}.eml", FormatDay(received_at), m.spool_id);
    m.notified = m.stored && rng() % 2 == 0;
    return m;
}

std::shared_ptr<storage::Database> Open(const std::string& url, int pool) {
    auto db = storage::Database::Open({.url = url, .pool_size = pool, .busy_timeout_ms = 60'000});
    if (!db) {
        std::fprintf(stderr, "cannot open %s: %s (%s)\n", RedactDatabaseUrl(url).c_str(),
                     db.error().public_msg.c_str(), db.error().detail.c_str());
        std::exit(1);
    }
    return *db;
}

void Exec(storage::Database& db, const std::string& sql) {
    auto r = db.Run<bool>("bench", [&](soci::session& s) -> Result<bool> {
        storage::ExecuteOnce(s, sql);
        return true;
    });
    if (!r) std::fprintf(stderr, "%s: %s\n", sql.c_str(), r.error().detail.c_str());
}

int Generate(const std::string& url, std::int64_t mails, int days, std::uint64_t seed) {
    auto db = Open(url, 1);
    if (auto m = storage::Migrate(*db); !m) {
        std::fprintf(stderr, "migrate: %s\n", m.error().detail.c_str());
        return 1;
    }
    const DatabaseEngine engine = db->GetDialect().Kind();
    // Loading speed only: these are not the settings rqwatch runs with.
    if (engine == DatabaseEngine::kSqlite) Exec(*db, "PRAGMA synchronous = OFF");
    if (engine == DatabaseEngine::kPostgresql) Exec(*db, "SET synchronous_commit = off");
    storage::SqlMailRepo repo(db);
    std::mt19937_64 rng(seed);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::int64_t start = now - days * kDayMs;
    const double step = static_cast<double>(days * kDayMs) / static_cast<double>(mails);
    const auto t0 = std::chrono::steady_clock::now();
    constexpr std::int64_t kBatch = 1000;
    for (std::int64_t done = 0; done < mails;) {
        std::vector<MailRecord> batch;
        for (std::int64_t i = 0; i < kBatch && done < mails; ++i, ++done) {
            batch.push_back(MakeMail(rng, done, start + static_cast<std::int64_t>(step * done)));
        }
        if (auto r = repo.InsertBatch(batch); !r) {
            std::fprintf(stderr, "insert: %s\n", r.error().detail.c_str());
            return 1;
        }
        if (done % 100'000 == 0 || done == mails) {
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::fprintf(stderr, "\r%lld mails, %.0f s, %.0f mails/s   ",
                         static_cast<long long>(done), s, static_cast<double>(done) / s);
        }
    }
    std::fprintf(stderr, "\nanalyzing\n");
    if (engine == DatabaseEngine::kMysql) {
        Exec(*db, "ANALYZE TABLE mails, mail_recipients, mail_symbols");
    } else if (engine == DatabaseEngine::kPostgresql) {
        Exec(*db, "ANALYZE mails, mail_recipients, mail_symbols");
    } else {
        Exec(*db, "ANALYZE");
    }
    return 0;
}

struct Timing {
    std::string name;
    std::vector<double> ms;
    std::size_t rows = 0;
    std::vector<std::string> plan;  // --explain, list queries only
};

double Percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const std::size_t i =
        std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
    return v[i];
}

template <class Fn>
Timing Time(const std::string& name, int runs, Fn fn) {
    Timing t{name, {}, 0};
    for (int i = 0; i < runs + 2; ++i) {  // two warm-up runs
        const auto t0 = std::chrono::steady_clock::now();
        const std::size_t rows = fn();
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count();
        if (i >= 2) t.ms.push_back(ms);
        t.rows = rows;
    }
    return t;
}

app::MailSearch Filters(std::initializer_list<const char*> texts) {
    app::MailSearch s;
    for (const char* f : texts) {
        auto parsed = ParseMailFilter(f);
        if (!parsed) {
            std::fprintf(stderr, "bad filter %s: %s\n", f, parsed.error().public_msg.c_str());
            std::exit(2);
        }
        s.filters.push_back(*parsed);
    }
    return s;
}

int Query(const std::string& url, int runs, bool explain) {
    auto db = Open(url, 2);
    storage::SqlMailRepo repo(db);
    storage::SqlMailReports reports(db);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string today = FormatDay(now);
    const std::string month_ago = FormatDay(now - 30 * kDayMs);
    const std::string week_ago = FormatDay(now - 7 * kDayMs);
    std::vector<Timing> out;
    auto page = [&](const char* name, app::MailSearch s) {
        s.limit = 50;
        out.push_back(Time(name, runs, [&] {
            auto r = repo.Search(s);
            if (!r) std::fprintf(stderr, "%s: %s\n", name, r.error().detail.c_str());
            return r ? r->items.size() : 0;
        }));
        if (explain) {
            auto plan = repo.ExplainSearch(s);
            if (!plan) std::fprintf(stderr, "%s: %s\n", name, plan.error().detail.c_str());
            if (plan) out.back().plan = std::move(*plan);
        }
    };
    page("admin list, first page", {});
    {
        app::MailSearch deep;
        auto first = repo.Search(app::MailSearch{.limit = 1});
        deep.before_id = first && !first->items.empty() ? first->items[0].id / 2 : 1;
        page("admin list, a page in the middle", deep);
    }
    app::MailSearch user;
    user.scope = std::vector<std::string>{Recipient(42)};
    page("user list (one address)", user);
    user.scope = std::vector<std::string>{Recipient(42), Recipient(4242), Recipient(777)};
    page("user list (address + 2 aliases)", user);
    app::MailSearch user_spam = Filters({"action:eq:reject"});
    user_spam.scope = std::vector<std::string>{Recipient(42)};
    page("user list, rejected only", user_spam);
    // Two indexed child filters at once: the scope's ids and a symbol's.
    app::MailSearch user_virus = Filters({"symbol:eq:CLAM_VIRUS"});
    user_virus.scope = std::vector<std::string>{Recipient(42), Recipient(4242), Recipient(777)};
    page("user list (3 addresses), symbol = CLAM_VIRUS", user_virus);
    page("day view (today)", Filters({("date:eq:" + today).c_str()}));
    page("action = reject", Filters({"action:eq:reject"}));
    page("score >= 15", Filters({"score:ge:15"}));
    page("stored = 1", Filters({"stored:eq:1"}));
    page("subject contains", Filters({"subject:contains:winner"}));
    page("subject regexp", Filters({"subject:regexp:^(prize|winner) "}));
    page("mail_from = (a sender)", Filters({"mail_from:eq:news7@sender7.example"}));
    page("rcpt_to = (one recipient)", Filters({("rcpt_to:eq:" + Recipient(42)).c_str()}));
    page("rcpt_to contains (domain)", Filters({"rcpt_to:contains:@dept7.example.org"}));
    page("symbol = CLAM_VIRUS", Filters({"symbol:eq:CLAM_VIRUS"}));
    page("symbol.BAYES_SPAM >= 5", Filters({"symbol.BAYES_SPAM:ge:5"}));
    page("has_virus = 1", Filters({"has_virus:eq:1"}));
    page("notification_pending = 1", Filters({"notification_pending:eq:1"}));

    const app::MailSearch last30 = Filters({("date:ge:" + month_ago).c_str()});
    out.push_back(Time("statistics, 30 days", runs, [&] {
        auto r = reports.Stats(last30);
        return r ? static_cast<std::size_t>(r->total) : 0;
    }));
    out.push_back(Time("statistics, all", runs, [&] {
        auto r = reports.Stats(app::MailSearch{});
        return r ? static_cast<std::size_t>(r->total) : 0;
    }));
    for (auto [name, field] : std::initializer_list<std::pair<const char*, ReportField>>{
             {"top senders, 30 days", ReportField::kMailFrom},
             {"top recipients, 30 days", ReportField::kRcptTo},
             {"top sender domains, 30 days", ReportField::kMailFromDomain},
             {"top symbols, 30 days", ReportField::kSymbol},
             {"traffic per day, 30 days", ReportField::kDate}}) {
        app::ReportQuery q;
        q.field = field;
        q.mode = field == ReportField::kDate ? ReportMode::kDay : ReportMode::kCount;
        q.search = last30;
        out.push_back(Time(name, runs, [&] {
            auto r = reports.Report(q);
            if (!r) std::fprintf(stderr, "%s: %s\n", name, r.error().detail.c_str());
            return r ? r->rows.size() : 0;
        }));
    }
    app::ReportQuery week;
    week.field = ReportField::kAction;
    week.search = Filters({("date:ge:" + week_ago).c_str()});
    out.push_back(Time("actions, 7 days", runs, [&] {
        auto r = reports.Report(week);
        return r ? r->rows.size() : 0;
    }));
    out.push_back(Time("quarantine days (31)", runs, [&] {
        auto r = reports.QuarantineDays(std::nullopt, 31, std::nullopt);
        return r ? r->size() : 0;
    }));

    std::printf("| query | rows | p50 ms | p95 ms |\n|---|---:|---:|---:|\n");
    for (const auto& t : out) {
        std::printf("| %s | %zu | %.1f | %.1f |\n", t.name.c_str(), t.rows, Percentile(t.ms, 0.5),
                    Percentile(t.ms, 0.95));
    }
    for (const auto& t : out) {
        if (t.plan.empty()) continue;
        std::printf("\n%s:\n```\n", t.name.c_str());
        for (const auto& line : t.plan) std::printf("%s\n", line.c_str());
        std::printf("```\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"rqwatch-dbbench: synthetic mail rows and the search/report query mix"};
    app.require_subcommand(1);
    std::string url;
    std::int64_t mails = 1'000'000;
    int days = 365;
    std::uint64_t seed = 1;
    int runs = 15;
    bool explain = false;
    auto* gen = app.add_subcommand("generate", "fill an empty database with synthetic mails");
    gen->add_option("--url", url, "database URL (as database.url)")->required();
    gen->add_option("--mails", mails, "how many mails")->capture_default_str();
    gen->add_option("--days", days, "spread over this many days up to now")->capture_default_str();
    gen->add_option("--seed", seed, "random seed")->capture_default_str();
    auto* query = app.add_subcommand("query", "run the query mix, print p50/p95 per query");
    query->add_option("--url", url, "database URL")->required();
    query->add_option("--runs", runs, "measured runs per query (after 2 warm-ups)")
        ->capture_default_str();
    query->add_flag("--explain", explain, "also print each list query's plan");
    CLI11_PARSE(app, argc, argv);
    if (gen->parsed()) return Generate(url, mails, days, seed);
    return Query(url, runs, explain);
}
