#pragma once
// A write that may violate a unique key, inside Database::Run: the
// violation becomes kConflict with a message that names what is taken
// ("username already exists"), which Dialect::TranslateError cannot know.

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "storage/dialect.hpp"

namespace rqwatch::storage {

// Runs `write` (a callable throwing what SOCI throws). A constraint
// violation returns kConflict with `public_msg`; any other failure is
// rethrown, for Database::Run to translate (and to recover the connection).
template <class Fn>
[[nodiscard]] Result<void> WriteUnique(const Dialect& dialect, std::string_view public_msg,
                                       Fn&& write) {
    try {
        std::forward<Fn>(write)();
        return {};
    } catch (const std::exception& e) {
        Error error = dialect.TranslateError(e, public_msg);
        if (error.code != ErrorCode::kConflict) throw;
        return Fail(ErrorCode::kConflict, std::string(public_msg), std::move(error.detail));
    }
}

}  // namespace rqwatch::storage
