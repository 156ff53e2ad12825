#include "storage/sqlite_functions.hpp"

#include <glib.h>
#include <sqlite3.h>

#include <memory>

namespace rqwatch::storage {
namespace {

struct RegexFree {
    void operator()(GRegex* r) const noexcept { g_regex_unref(r); }
};
using RegexPtr = std::unique_ptr<GRegex, RegexFree>;

void DeleteRegex(void* p) { g_regex_unref(static_cast<GRegex*>(p)); }

// regexp(pattern, text): 1, 0, or NULL for NULL text. The compiled pattern is
// kept as SQLite auxiliary data, so a query compiles it once, not per row.
void Regexp(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (argc != 2) return;
    auto* regex = static_cast<GRegex*>(sqlite3_get_auxdata(ctx, 0));
    if (regex == nullptr) {
        const auto* pattern = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
        if (pattern == nullptr) {
            sqlite3_result_null(ctx);
            return;
        }
        GError* error = nullptr;
        regex = g_regex_new(pattern,
                            static_cast<GRegexCompileFlags>(G_REGEX_CASELESS | G_REGEX_OPTIMIZE),
                            G_REGEX_MATCH_DEFAULT, &error);
        if (regex == nullptr) {
            sqlite3_result_error(ctx, error != nullptr ? error->message : "invalid regexp", -1);
            if (error != nullptr) g_error_free(error);
            return;
        }
        sqlite3_set_auxdata(ctx, 0, regex, DeleteRegex);
        regex = static_cast<GRegex*>(sqlite3_get_auxdata(ctx, 0));
        if (regex == nullptr) {  // SQLite may drop auxdata at once (OOM); then compile per row
            sqlite3_result_error(ctx, "regexp: cannot keep the compiled pattern", -1);
            return;
        }
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
    if (text == nullptr) {
        sqlite3_result_null(ctx);
        return;
    }
    const int length = sqlite3_value_bytes(argv[1]);
    GError* error = nullptr;
    const gboolean matched =
        g_regex_match_full(regex, text, length, 0, G_REGEX_MATCH_DEFAULT, nullptr, &error);
    if (error != nullptr) {
        // PCRE2's match limit was hit (or the text is not UTF-8): no match,
        // rather than failing the whole page.
        g_error_free(error);
        sqlite3_result_int(ctx, 0);
        return;
    }
    sqlite3_result_int(ctx, matched ? 1 : 0);
}

void Lower(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
    if (argc != 1) return;
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    if (text == nullptr) {
        sqlite3_result_null(ctx);
        return;
    }
    const std::string lower = Utf8Lower(std::string_view(text, sqlite3_value_bytes(argv[0])));
    sqlite3_result_text(ctx, lower.data(), static_cast<int>(lower.size()), SQLITE_TRANSIENT);
}

}  // namespace

std::string Utf8Lower(std::string_view text) {
    // Invalid UTF-8 (possible in old headers) is lowered as ASCII only.
    if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) {
        std::string out(text);
        for (char& c : out) c = static_cast<char>(g_ascii_tolower(c));
        return out;
    }
    gchar* lowered = g_utf8_strdown(text.data(), static_cast<gssize>(text.size()));
    std::string out(lowered);
    g_free(lowered);
    return out;
}

namespace {

int RegisterFunctions(sqlite3* db, const char** error, const sqlite3_api_routines*) {
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    if (sqlite3_create_function_v2(db, "regexp", 2, flags, nullptr, Regexp, nullptr, nullptr,
                                   nullptr) != SQLITE_OK ||
        sqlite3_create_function_v2(db, "lower", 1, flags, nullptr, Lower, nullptr, nullptr,
                                   nullptr) != SQLITE_OK) {
        if (error != nullptr) *error = sqlite3_mprintf("cannot register regexp()/lower()");
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}

}  // namespace

bool EnableSqliteFunctions() {
    static const bool enabled =
        sqlite3_auto_extension(reinterpret_cast<void (*)()>(RegisterFunctions)) == SQLITE_OK;
    return enabled;
}

}  // namespace rqwatch::storage
