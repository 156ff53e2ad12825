#include "http/form_data.hpp"

#include <algorithm>
#include <cctype>
#include "util/ascii.hpp"

namespace rqwatch::http {
namespace {

// Value of `param` in a header like `form-data; name="metadata"; filename="m.eml"`.
std::string Param(std::string_view header, std::string_view param) {
    const std::string lower = util::AsciiLower(header);
    std::size_t pos = 0;
    while ((pos = lower.find(param, pos)) != std::string::npos) {
        const bool starts =
            pos == 0 || lower[pos - 1] == ' ' || lower[pos - 1] == ';' || lower[pos - 1] == '\t';
        std::size_t eq = pos + param.size();
        if (!starts || eq >= lower.size() || lower[eq] != '=') {
            pos = eq;
            continue;
        }
        std::size_t v = eq + 1;
        if (v < header.size() && header[v] == '"') {
            std::string out;
            for (++v; v < header.size() && header[v] != '"'; ++v) {
                if (header[v] == '\\' && v + 1 < header.size()) ++v;
                out.push_back(header[v]);
            }
            return out;
        }
        std::size_t end = header.find_first_of("; \t", v);
        return std::string(
            header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v));
    }
    return {};
}

}  // namespace

std::string MultipartBoundary(std::string_view content_type) {
    return Param(content_type, "boundary");
}

Result<std::vector<FormPart>> ParseFormData(std::string_view boundary, std::string_view body) {
    if (boundary.empty() || boundary.size() > 200) {
        return Fail(ErrorCode::kInvalidArgument, "multipart body without a valid boundary");
    }
    const std::string delim = "--" + std::string(boundary);
    std::vector<FormPart> parts;
    std::size_t pos = body.find(delim);
    if (pos == std::string_view::npos)
        return Fail(ErrorCode::kInvalidArgument, "multipart boundary not found in body");
    for (;;) {
        pos += delim.size();
        if (body.substr(pos, 2) == "--") break;  // closing delimiter
        // Rest of the delimiter line (transport padding) and its line break.
        const std::size_t eol = body.find('\n', pos);
        if (eol == std::string_view::npos)
            return Fail(ErrorCode::kInvalidArgument, "truncated multipart body");
        std::size_t header_start = eol + 1;
        std::size_t header_end = body.find("\r\n\r\n", header_start);
        std::size_t data_start;
        const std::size_t lf_end = body.find("\n\n", header_start);
        if (header_end != std::string_view::npos &&
            (lf_end == std::string_view::npos || header_end < lf_end)) {
            data_start = header_end + 4;
        } else if (lf_end != std::string_view::npos) {
            header_end = lf_end;
            data_start = lf_end + 2;
        } else {
            return Fail(ErrorCode::kInvalidArgument, "multipart part without a header end");
        }
        FormPart part;
        std::string_view headers = body.substr(header_start, header_end - header_start);
        std::size_t line_start = 0;
        while (line_start <= headers.size()) {
            std::size_t line_end = headers.find('\n', line_start);
            std::string_view line = headers.substr(line_start, line_end == std::string_view::npos
                                                                   ? std::string_view::npos
                                                                   : line_end - line_start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (util::AsciiLower(line.substr(0, 20)).starts_with("content-disposition:")) {
                part.name = Param(line, "name");
                part.filename = Param(line, "filename");
            }
            if (line_end == std::string_view::npos) break;
            line_start = line_end + 1;
        }
        // The part ends at CRLF (or LF) + a delimiter line (RFC 2046: the
        // boundary, then "--" or only transport padding up to the line end).
        auto is_delimiter_line = [&](std::size_t at) {
            if (at == 0 || body[at - 1] != '\n') return false;
            std::size_t k = at + delim.size();
            if (body.substr(k, 2) == "--") return true;
            while (k < body.size() && (body[k] == ' ' || body[k] == '\t')) ++k;
            return k == body.size() || body[k] == '\n' ||
                   (body[k] == '\r' && k + 1 < body.size() && body[k + 1] == '\n');
        };
        std::size_t next = body.find(delim, data_start);
        while (next != std::string_view::npos && !is_delimiter_line(next))
            next = body.find(delim, next + 1);
        if (next == std::string_view::npos)
            return Fail(ErrorCode::kInvalidArgument, "unterminated multipart part");
        std::size_t data_end = next - 1;  // drop the LF
        if (data_end > data_start && body[data_end - 1] == '\r') --data_end;
        part.data = body.substr(data_start, data_end >= data_start ? data_end - data_start : 0);
        parts.push_back(std::move(part));
        pos = next;
        if (parts.size() > 100)
            return Fail(ErrorCode::kInvalidArgument, "too many multipart parts");
    }
    return parts;
}

}  // namespace rqwatch::http
