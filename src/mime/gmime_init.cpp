#include "mime/gmime_init.hpp"

#include <mutex>

#include "mime/parse_mail.hpp"

namespace rqwatch::mime {
namespace {

std::once_flag g_init_once;
GMimeParserOptions* g_parser_options = nullptr;

void InitOnce() {
    // g_mime_init itself is not thread-safe; call_once makes it so.
    g_mime_init();

    g_parser_options = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(g_parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(g_parser_options,
                                                        GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(g_parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(g_parser_options, TRUE);
    // Undeclared 8-bit header bytes are mostly Windows-1252 in practice (and it
    // is a superset of ISO-8859-1), which is also what ToValidUtf8 assumes.
    const char* fallback_charsets[] = {"UTF-8", "WINDOWS-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(g_parser_options, fallback_charsets);
}

}  // namespace

void InitMime() { std::call_once(g_init_once, InitOnce); }

GMimeParserOptions* ParserOptions() {
    InitMime();
    return g_parser_options;
}

}  // namespace rqwatch::mime
