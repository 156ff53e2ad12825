// Allow/block maps: the JSON API under /api/v1/maps (app::MapEditor) and
// the files Rspamd polls, GET/HEAD /maps/<name>.txt (app::MapPublisher).

#include <spdlog/spdlog.h>

#include <limits>
#include <memory>
#include <optional>
#include <nlohmann/json.hpp>

#include "http/basic_auth.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/handlers/authed_route.hpp"
#include "http/http_date.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"
#include "http/search_params.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxId = std::numeric_limits<std::int64_t>::max();
// The text of one add or import: max_lines lines of kMaxMapLineBytes at most.
std::size_t MaxText(const app::MapEditor& editor) {
    return editor.Options().max_lines * (kMaxMapLineBytes + 1);
}

json OptionalMs(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json MapJson(const app::MapInfo& m, bool with_count) {
    json j = {{"name", m.name},
              {"scope", app::MapScopeName(m.shape.scope)},
              {"field", MapFieldName(m.shape.first)},
              {"recipient", m.shape.second.has_value()},
              {"kind", app::MapListKindName(m.kind)},
              {"description", m.description},
              {"builtin", m.builtin},
              {"url", "/maps/" + m.name + ".txt"},
              {"changed_at", m.changed_at * 1000}};
    if (with_count) j["entries"] = m.entry_count;
    return j;
}

json EntryJson(const app::MapInfo& map, const app::MapEntry& e) {
    return {{"id", e.id},
            {"line", app::MapEntryLine(map.shape, e)},
            {"value", e.value},
            {"recipient", map.shape.second ? json(e.second) : json(nullptr)},
            {"enabled", e.enabled},
            {"comment", e.comment},
            {"expires_at", OptionalMs(e.expires_at)},
            {"personal", e.owner_id.has_value()},
            {"created_by", e.created_by_name.empty() ? json(nullptr) : json(e.created_by_name)},
            {"created_at", e.created_at},
            {"updated_at", e.updated_at}};
}

app::MapCaller CallerOf(const Principal& p, const Request& req) {
    return app::MapCaller{ActorOf(p, req), p.user.is_admin, p.addresses};
}

std::string MapName(const Request& req) {
    auto it = req.path_params.find("name");
    return it == req.path_params.end() ? std::string() : it->second;
}

Result<json> AddResultJson(const app::AddLinesResult& r) {
    json errors = json::array();
    for (const MapLineError& e : r.errors) {
        errors.push_back({{"line", e.line}, {"message", e.message}});
    }
    return json{{"added", r.ids.size()}, {"ids", r.ids}, {"errors", std::move(errors)}};
}

Result<Response> AddLines(app::MapEditor& editor, const Request& req, const Principal& p,
                          std::string_view text, const app::AddLinesOptions& options) {
    auto r = editor.AddLines(CallerOf(p, req), MapName(req), text, options);
    if (!r) return std::unexpected(r.error());
    auto body = AddResultJson(*r);
    if (!body) return std::unexpected(body.error());
    return JsonResponse(r->ids.empty() ? bhttp::status::ok : bhttp::status::created, *body);
}

// {"expires_at": ms or null}: absent, no expiry, or one.
Result<std::optional<std::optional<std::int64_t>>> ExpiresAt(const json& body) {
    auto it = body.find("expires_at");
    if (it == body.end()) return std::nullopt;
    if (it->is_null()) return std::optional<std::optional<std::int64_t>>(std::nullopt);
    auto v = OptionalInteger(body, "expires_at", 1, kMaxId);
    if (!v) return std::unexpected(v.error());
    return std::optional<std::optional<std::int64_t>>(*v);
}

void AddApiRoutes(Router& router, app::MapEditor& editor, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/maps",
               Authed(auth, Who::kAnyUser,
                      [&editor](Request& req, const Principal& p) -> Result<Response> {
                          auto maps = editor.ListMaps(CallerOf(p, req));
                          if (!maps) return std::unexpected(maps.error());
                          json items = json::array();
                          for (const auto& m : *maps) items.push_back(MapJson(m, p.user.is_admin));
                          return JsonOk({{"items", std::move(items)}});
                      }));
    router.Add(bhttp::verb::post, "/api/v1/maps",
               Authed(auth, Who::kAdmin,
                      [&editor](Request& req, const Principal& p) -> Result<Response> {
                          auto body = JsonObjectBody(req, {"name", "field", "description"});
                          if (!body) return std::unexpected(body.error());
                          auto name = OptionalString(*body, "name", 64);
                          if (!name) return std::unexpected(name.error());
                          auto field = OptionalString(*body, "field", 32);
                          if (!field) return std::unexpected(field.error());
                          auto descr = OptionalString(*body, "description", 255);
                          if (!descr) return std::unexpected(descr.error());
                          if (!*name || !*field) {
                              return Fail(ErrorCode::kInvalidArgument,
                                          "expected {\"name\": \"…\", \"field\": \"ip|email|"
                                          "domain|asn|url|text|regexp|glob|key_score\"}");
                          }
                          auto f = ParseMapField(**field);
                          if (!f) return Fail(ErrorCode::kInvalidArgument, "unknown field");
                          auto m = editor.CreateMap(CallerOf(p, req), **name, *f,
                                                    descr->value_or(""));
                          if (!m) return std::unexpected(m.error());
                          return JsonResponse(bhttp::status::created, MapJson(*m, true));
                      }));
    router.Add(bhttp::verb::get, "/api/v1/maps/{name}",
               Authed(auth, Who::kAnyUser,
                      [&editor](Request& req, const Principal& p) -> Result<Response> {
                          auto m = editor.GetMap(CallerOf(p, req), MapName(req));
                          if (!m) return std::unexpected(m.error());
                          return JsonOk(MapJson(*m, p.user.is_admin));
                      }));
    router.Add(bhttp::verb::delete_, "/api/v1/maps/{name}",
               Authed(auth, Who::kAdmin,
                      [&editor](Request& req, const Principal& p) -> Result<Response> {
                          if (auto ok = editor.DeleteMap(CallerOf(p, req), MapName(req)); !ok) {
                              return std::unexpected(ok.error());
                          }
                          return JsonOk({{"deleted", MapName(req)}});
                      }));
    router.Add(bhttp::verb::patch, "/api/v1/maps/{name}",
               Authed(auth, Who::kAdmin,
                      [&editor](Request& req, const Principal& p) -> Result<Response> {
                          auto body = JsonObjectBody(req, {"name", "description"});
                          if (!body) return std::unexpected(body.error());
                          auto name = OptionalString(*body, "name", 64);
                          if (!name) return std::unexpected(name.error());
                          auto descr = OptionalString(*body, "description", 255);
                          if (!descr) return std::unexpected(descr.error());
                          auto m = editor.UpdateMap(CallerOf(p, req), MapName(req), *name, *descr);
                          if (!m) return std::unexpected(m.error());
                          return JsonOk(MapJson(*m, true));
                      }));
    router.Add(
        bhttp::verb::get, "/api/v1/maps/{name}/entries",
        Authed(auth, Who::kAnyUser, [&editor](Request& req, const Principal& p) -> Result<Response> {
            const auto caller = CallerOf(p, req);
            auto map = editor.GetMap(caller, MapName(req));
            if (!map) return std::unexpected(map.error());
            auto limit = IntParam(req, "limit", 1, 1000);
            if (!limit) return std::unexpected(limit.error());
            auto after = IntParam(req, "after", 1, kMaxId);
            if (!after) return std::unexpected(after.error());
            std::string q;
            if (auto it = req.query.find("q"); it != req.query.end()) q = it->second;
            const int n = static_cast<int>(limit->value_or(100));
            auto rows = editor.Search(caller, MapName(req), q, *after, n);
            if (!rows) return std::unexpected(rows.error());
            json items = json::array();
            for (const auto& e : *rows) items.push_back(EntryJson(*map, e));
            const bool more = static_cast<int>(rows->size()) == n;
            return JsonOk({{"items", std::move(items)},
                           {"next_after", more ? json(rows->back().id) : json(nullptr)}});
        }));
    router.Add(
        bhttp::verb::post, "/api/v1/maps/{name}/entries",
        Authed(auth, Who::kAnyUser, [&editor](Request& req, const Principal& p) -> Result<Response> {
            auto body = JsonObjectBody(req, {"lines", "comment", "expires_at", "enabled"});
            if (!body) return std::unexpected(body.error());
            auto lines = OptionalString(*body, "lines", MaxText(editor));
            if (!lines) return std::unexpected(lines.error());
            if (!*lines) {
                return Fail(ErrorCode::kInvalidArgument,
                            "expected {\"lines\": \"one entry per line\"}");
            }
            app::AddLinesOptions options;
            auto comment = OptionalString(*body, "comment", 255);
            if (!comment) return std::unexpected(comment.error());
            options.comment = comment->value_or("");
            auto expires = ExpiresAt(*body);
            if (!expires) return std::unexpected(expires.error());
            if (*expires) options.expires_at = **expires;
            auto enabled = OptionalBool(*body, "enabled");
            if (!enabled) return std::unexpected(enabled.error());
            options.enabled = enabled->value_or(true);
            return AddLines(editor, req, p, **lines, options);
        }));
    router.Add(
        bhttp::verb::post, "/api/v1/maps/{name}/import",
        Authed(auth, Who::kAnyUser, [&editor](Request& req, const Principal& p) -> Result<Response> {
            const auto& raw = *req.raw;
            const std::string_view type = raw[bhttp::field::content_type];
            if (!type.starts_with("text/plain")) {
                return Fail(ErrorCode::kInvalidArgument, "send the entries as text/plain");
            }
            if (raw.body().size() > MaxText(editor)) {
                return Fail(ErrorCode::kTooLarge, "too many lines to import at once");
            }
            return AddLines(editor, req, p, raw.body(), app::AddLinesOptions{});
        }));
    router.Add(
        bhttp::verb::get, "/api/v1/maps/{name}/export",
        Authed(auth, Who::kAnyUser, [&editor](Request& req, const Principal& p) -> Result<Response> {
            auto text = editor.Export(CallerOf(p, req), MapName(req));
            if (!text) return std::unexpected(text.error());
            Response r = Response::Text(bhttp::status::ok, std::move(*text));
            r.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"" + MapName(req) + ".txt\"");
            return r;
        }));
    router.Add(
        bhttp::verb::patch, "/api/v1/maps/{name}/entries/{id}",
        Authed(auth, Who::kAnyUser, [&editor](Request& req, const Principal& p) -> Result<Response> {
            auto id = PathId(req);
            if (!id) return std::unexpected(id.error());
            auto body = JsonObjectBody(req, {"line", "enabled", "comment", "expires_at"});
            if (!body) return std::unexpected(body.error());
            app::EntryPatch patch;
            auto line = OptionalString(*body, "line", kMaxMapLineBytes);
            if (!line) return std::unexpected(line.error());
            patch.line = *line;
            auto enabled = OptionalBool(*body, "enabled");
            if (!enabled) return std::unexpected(enabled.error());
            patch.enabled = *enabled;
            auto comment = OptionalString(*body, "comment", 255);
            if (!comment) return std::unexpected(comment.error());
            patch.comment = *comment;
            auto expires = ExpiresAt(*body);
            if (!expires) return std::unexpected(expires.error());
            patch.expires_at = *expires;
            const auto caller = CallerOf(p, req);
            auto entry = editor.UpdateEntry(caller, MapName(req), *id, patch);
            if (!entry) return std::unexpected(entry.error());
            auto map = editor.GetMap(caller, MapName(req));
            if (!map) return std::unexpected(map.error());
            return JsonOk(EntryJson(*map, *entry));
        }));
    router.Add(
        bhttp::verb::delete_, "/api/v1/maps/{name}/entries/{id}",
        Authed(auth, Who::kAnyUser, [&editor](Request& req, const Principal& p) -> Result<Response> {
            auto id = PathId(req);
            if (!id) return std::unexpected(id.error());
            auto n = editor.DeleteEntries(CallerOf(p, req), MapName(req), {*id});
            if (!n) return std::unexpected(n.error());
            if (*n == 0) return Fail(ErrorCode::kNotFound, "no such map entry");
            return JsonOk({{"deleted", *n}});
        }));
    // Bulk delete: {"ids": [...]} or, administrators, {"all": true,
    // "confirm": "<map name>"} (the name typed again, as confirmation).
    router.Add(
        bhttp::verb::post, "/api/v1/maps/{name}/entries/delete",
        Authed(auth, Who::kAnyUser, [&editor](Request& req, const Principal& p) -> Result<Response> {
            auto body = JsonObjectBody(req, {"ids", "all", "confirm"});
            if (!body) return std::unexpected(body.error());
            auto all = OptionalBool(*body, "all");
            if (!all) return std::unexpected(all.error());
            const std::string name = MapName(req);
            if (all->value_or(false)) {
                auto confirm = OptionalString(*body, "confirm", 64);
                if (!confirm) return std::unexpected(confirm.error());
                if (*confirm != name) {
                    return Fail(ErrorCode::kInvalidArgument,
                                "deleting every entry needs \"confirm\": the map's name");
                }
                auto n = editor.DeleteAll(CallerOf(p, req), name);
                if (!n) return std::unexpected(n.error());
                return JsonOk({{"deleted", *n}});
            }
            auto it = body->find("ids");
            if (it == body->end() || !it->is_array() || it->empty() ||
                it->size() > editor.Options().max_lines) {
                return Fail(ErrorCode::kInvalidArgument,
                            "expected {\"ids\": [entry ids]} or {\"all\": true, \"confirm\": "
                            "\"<map name>\"}");
            }
            std::vector<std::int64_t> ids;
            for (const json& v : *it) {
                if (!v.is_number_integer() || v.get<std::int64_t>() < 1) {
                    return Fail(ErrorCode::kInvalidArgument, "ids must be positive integers");
                }
                ids.push_back(v.get<std::int64_t>());
            }
            auto n = editor.DeleteEntries(CallerOf(p, req), name, ids);
            if (!n) return std::unexpected(n.error());
            return JsonOk({{"deleted", *n}});
        }));
}

Response PlainError(bhttp::status status, std::string text) {
    return Response::Text(status, std::move(text) + "\n");
}

// Whether the client's copy (If-None-Match, else If-Modified-Since) is current.
bool NotModified(const bhttp::request<bhttp::string_body>& raw, const app::PublishedMap& map) {
    if (auto inm = raw[bhttp::field::if_none_match]; !inm.empty()) {
        // A list of tags; weak ones compare by their opaque part.
        std::string_view rest = inm;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            std::string_view tag = rest.substr(0, comma);
            while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
            while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
            if (tag.starts_with("W/")) tag.remove_prefix(2);
            if (tag == "*" || tag == map.etag) return true;
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
        return false;  // If-Modified-Since is ignored when If-None-Match is sent
    }
    if (auto ims = raw[bhttp::field::if_modified_since]; !ims.empty()) {
        if (auto since = ParseHttpDate(ims)) return map.last_modified <= *since;
    }
    return false;
}

// The refusal of a reader that is not allowed (address, Basic auth), or nullopt.
std::optional<Response> RefuseReader(const Request& req, const MapReaderSettings& settings) {
    auto ip = ParseIp(req.client_ip);
    if (!ip || !AnyContains(settings.allow, *ip)) {
        spdlog::warn("maps: refused reader {} (not in maps.reader_allow_from)", req.client_ip);
        return PlainError(bhttp::status::forbidden, "client address not allowed");
    }
    if (settings.password.empty()) return std::nullopt;
    auto creds = ParseBasicAuth((*req.raw)[bhttp::field::authorization]);
    const bool user_ok = creds && SecretEquals(creds->username, settings.username);
    const bool pass_ok = creds && SecretEquals(creds->password, settings.password);
    if (user_ok && pass_ok) return std::nullopt;
    Response r = PlainError(bhttp::status::unauthorized, "authentication required");
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"rqwatch maps\", charset=\"UTF-8\"");
    return r;
}

// "ip_block" of "ip_block.txt"; empty when the file names no valid map.
std::string MapOfFile(const Request& req) {
    const std::string& file = req.path_params.at("file");
    std::string name = file.ends_with(".txt") ? file.substr(0, file.size() - 4) : std::string();
    return ValidMapName(name) ? name : std::string();
}

Response MapReply(const Request& req, const app::PublishedMap& map) {
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("ETag", map.etag);
    r.headers.emplace_back("Last-Modified", FormatHttpDate(map.last_modified));
    // Revalidate every time (cheap: a 304 is answered from memory).
    r.headers.emplace_back("Cache-Control", "no-cache");
    if (NotModified(*req.raw, map)) {
        r.status = bhttp::status::not_modified;
        return r;
    }
    r.body = map.body;
    return r;
}

void AddReaderRoutes(Router& router, app::MapPublisher& publisher, MapReaderSettings settings) {
    // Rspamd polls every map of every worker: an unchanged map is answered
    // on the I/O thread from the publisher's memory (FastHandler); only a
    // first read or a stamp older than maps' stamp TTL (a second) goes
    // through a worker, as it reads the database.
    auto shared = std::make_shared<const MapReaderSettings>(std::move(settings));
    router.Add(
        bhttp::verb::get, "/maps/{file}",
        [&publisher, shared](Request& req) -> Response {
            if (auto refused = RefuseReader(req, *shared)) return std::move(*refused);
            const std::string name = MapOfFile(req);
            if (name.empty()) return PlainError(bhttp::status::not_found, "no such map");
            auto map = publisher.Get(name);
            if (!map) return TextError(map.error());
            return MapReply(req, **map);
        },
        [&publisher, shared](Request& req) -> std::optional<Response> {
            if (auto refused = RefuseReader(req, *shared)) return refused;
            const std::string name = MapOfFile(req);
            if (name.empty()) return PlainError(bhttp::status::not_found, "no such map");
            auto map = publisher.Fresh(name);
            if (!map) return std::nullopt;
            return MapReply(req, *map);
        });
}

}  // namespace

void AddMapRoutes(Router& router, app::MapEditor& editor, app::MapPublisher& publisher,
                  RequestAuth& auth, MapReaderSettings reader) {
    AddApiRoutes(router, editor, auth);
    AddReaderRoutes(router, publisher, std::move(reader));
}

}  // namespace rqwatch::http
