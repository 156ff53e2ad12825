#pragma once
// Validating what a user types into a map. Every value is checked for its
// field and brought to the one form Rspamd compares (lower-case addresses
// and domains, "AS" dropped from numbers), so a duplicate is found by plain
// comparison. Map lines end up in a file Rspamd parses line by line: a value
// must never carry a line break, a control character or a '#' that starts
// a comment, whatever the field.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/map_kind.hpp"

namespace rqwatch {

inline constexpr std::size_t kMaxMapLineBytes = 1024;

// One valid line of a map, normalised.
struct MapValue {
    std::string first;
    std::string second;  // the recipient of combined and personal maps
    double score = 0;    // kKeyScore only
    std::size_t line = 0;  // ParseMapLines: the 1-based line it came from
};

// kInvalidArgument naming what is wrong with `text` as a `field`.
[[nodiscard]] Result<std::string> NormalizeMapValue(MapField field, std::string_view text);

// One line: the first field, then (combined, personal) whitespace and the
// recipient; kKeyScore lines are "key score".
[[nodiscard]] Result<MapValue> ParseMapLine(const MapShape& shape, std::string_view line);

struct MapLineError {
    std::size_t line = 0;  // 1-based, as the user counts the lines of the box
    std::string message;
};

struct ParsedMapLines {
    std::vector<MapValue> values;
    std::vector<MapLineError> errors;
};

// A multi-line box or an imported file: blank lines and '#' comments are
// skipped; every other line is a value or an error of its own, so one typo
// does not lose the other 9,999 lines. Values repeated within the text are
// kept once.
[[nodiscard]] ParsedMapLines ParseMapLines(const MapShape& shape, std::string_view text);

}  // namespace rqwatch
