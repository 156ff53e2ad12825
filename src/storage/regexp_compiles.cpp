#include "storage/regexp_compiles.hpp"

#include <fmt/format.h>
#include <glib.h>

#include <string>

namespace rqwatch::storage {

Result<void> RegexpCompiles(std::string_view value) {
    const auto close = value.rfind('/');
    if (value.size() < 3 || value.front() != '/' || close == 0) {
        return Fail(ErrorCode::kInvalidArgument, "regexp: write it as /pattern/flags");
    }
    const std::string pattern(value.substr(1, close - 1));
    int flags = 0;
    for (char c : value.substr(close + 1)) {
        // Rspamd's flags; those PCRE2 compiles no differently are skipped.
        if (c == 'i') flags |= G_REGEX_CASELESS;
        if (c == 'm') flags |= G_REGEX_MULTILINE;
        if (c == 's') flags |= G_REGEX_DOTALL;
        if (c == 'x') flags |= G_REGEX_EXTENDED;
    }
    GError* error = nullptr;
    GRegex* regex = g_regex_new(pattern.c_str(), static_cast<GRegexCompileFlags>(flags),
                                G_REGEX_MATCH_DEFAULT, &error);
    if (regex == nullptr) {
        std::string msg = error ? error->message : "does not compile";
        if (error) g_error_free(error);
        return Fail(ErrorCode::kInvalidArgument, fmt::format("regexp: {}", msg));
    }
    g_regex_unref(regex);
    return {};
}

}  // namespace rqwatch::storage
