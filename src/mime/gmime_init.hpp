#pragma once
// Process-wide GMime state shared by all parsing threads.

#include <gmime/gmime.h>

namespace rqwatch::mime {

// Parser options used for every parse and header decode: lenient RFC modes and
// UTF-8 then Windows-1252 as charsets for raw 8-bit header bytes. Created once
// by InitMime() (which this calls) and never modified afterwards, so sharing it
// between threads is safe.
[[nodiscard]] GMimeParserOptions* ParserOptions();

}  // namespace rqwatch::mime
