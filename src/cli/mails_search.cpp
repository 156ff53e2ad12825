// rqwatch mails search [--filter FIELD:OP:VALUE]... [--day DAY|today] [--limit N]
//                      [--before ID] [--json]
// The administrator's search from the shell: the same filters as
// GET /api/v1/mails, on the configured database, every mail (no user scope).

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/mail_filter.hpp"
#include "http/mail_json.hpp"
#include "storage/sql_mail_repo.hpp"

namespace rqwatch::cli {
namespace {

// One line per mail for a terminal: id, UTC time, action, score, sender, first recipient, subject.
void PrintLine(const MailRecord& m) {
    const std::int64_t seconds = m.received_at / 1000;
    std::cout << fmt::format("{:>8}  {} {:02}:{:02}:{:02}  {:<15}  {:>7.2f}  {:<30}  {:<30}  {}\n",
                             m.id, FormatDay(m.received_at), seconds / 3600 % 24, seconds / 60 % 60,
                             seconds % 60, m.action, m.score,
                             m.mail_from.empty() ? "<>" : m.mail_from,
                             m.rcpt_to.empty() ? "" : m.rcpt_to.front(), m.subject);
}

}  // namespace

int RunMailsSearch(const std::string& config_path, const MailsSearchArgs& args) {
    app::MailSearch search;
    if (args.filters.size() > kMaxFilters) {
        std::cerr << "rqwatch: at most " << kMaxFilters << " filters at once\n";
        return 1;
    }
    for (const std::string& text : args.filters) {
        auto f = ParseMailFilter(text);
        if (!f) {
            std::cerr << "rqwatch: --filter " << text << ": " << f.error().public_msg << "\n";
            return 1;
        }
        search.filters.push_back(std::move(*f));
    }
    if (!args.day.empty()) {
        auto f = DayFilter(args.day);
        if (!f) {
            std::cerr << "rqwatch: --day: " << f.error().public_msg << "\n";
            return 1;
        }
        search.filters.push_back(std::move(*f));
    }
    if (args.limit < 1 || args.limit > 1000) {
        std::cerr << "rqwatch: --limit must be from 1 to 1000\n";
        return 1;
    }
    search.limit = args.limit;
    if (args.before > 0) search.before_id = args.before;

    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/false);
    if (!db) return 1;
    storage::SqlMailRepo mails(db);
    auto page = mails.Search(search);
    if (!page) {
        PrintError("search failed", page.error());
        return 1;
    }
    if (args.json) {
        nlohmann::json items = nlohmann::json::array();
        for (const auto& m : page->items) items.push_back(http::MailToJson(m));
        nlohmann::json doc = {
            {"items", std::move(items)},
            {"next_before", page->next_before_id ? nlohmann::json(*page->next_before_id)
                                                 : nlohmann::json(nullptr)}};
        std::cout << doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return 0;
    }
    for (const auto& m : page->items) PrintLine(m);
    if (page->next_before_id) {
        std::cerr << "(more: --before " << *page->next_before_id << ")\n";
    }
    return 0;
}

}  // namespace rqwatch::cli
