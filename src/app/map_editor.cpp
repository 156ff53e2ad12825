#include "app/map_editor.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/utf8.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {
namespace {

constexpr std::size_t kMaxComment = 255;
constexpr std::size_t kMaxDescription = 255;

Error NotFound() { return Error{ErrorCode::kNotFound, "no such map", {}}; }
Error NoEntry() { return Error{ErrorCode::kNotFound, "no such map entry", {}}; }

bool IsPair(const MapInfo& map) {
    return map.shape.scope == MapScope::kCombined || map.shape.scope == MapScope::kPersonal;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
    return std::ranges::find(list, value) != list.end();
}

Result<void> CheckText(const std::string& text, std::size_t max, std::string_view what) {
    if (text.size() > max || !IsValidUtf8(text)) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} must be at most {} bytes of UTF-8 text", what, max));
    }
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7F) {
            return Fail(ErrorCode::kInvalidArgument,
                        fmt::format("{} must not hold control characters", what));
        }
    }
    return {};
}

}  // namespace

std::string MapTarget(const std::string& name) { return "map:" + name; }

std::string MapEntryLine(const MapShape& shape, const MapEntry& entry) {
    if (shape.second) return entry.value + " " + entry.second;
    return entry.value;
}

MapEditor::MapEditor(MapRepo& repo, AuditTrail& audit, MapEditorOptions options,
                     RegexpCompiles regexp_compiles, Clock clock)
    : repo_(repo),
      audit_(audit),
      options_(options),
      regexp_compiles_(std::move(regexp_compiles)),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {}

Result<std::vector<MapInfo>> MapEditor::ListMaps(const MapCaller& caller) {
    auto maps = repo_.List();
    if (!maps || caller.admin) return maps;
    std::vector<MapInfo> out;
    for (MapInfo& m : *maps) {
        if (m.shape.scope == MapScope::kPersonal ||
            (m.shape.scope == MapScope::kCombined && options_.users_see_admin_entries)) {
            m.entry_count = 0;  // counts the entries of everybody
            out.push_back(std::move(m));
        }
    }
    return out;
}

Result<MapInfo> MapEditor::OpenMap(const MapCaller& caller, const std::string& name) {
    auto map = repo_.Find(name);
    if (!map) return map;
    if (caller.admin) return map;
    if (map->shape.scope == MapScope::kPersonal) return map;
    if (map->shape.scope == MapScope::kCombined && options_.users_see_admin_entries) return map;
    return std::unexpected(NotFound());
}

Result<MapInfo> MapEditor::GetMap(const MapCaller& caller, const std::string& name) {
    auto map = OpenMap(caller, name);
    if (map && !caller.admin) map->entry_count = 0;
    return map;
}

Result<MapInfo> MapEditor::CreateMap(const MapCaller& caller, const std::string& name,
                                     MapField field, const std::string& description) {
    if (!caller.admin) return Fail(ErrorCode::kPermissionDenied, "administrators only");
    if (!ValidMapName(name)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "a map name is 1-64 of a-z 0-9 . _ -, starting with a letter or digit");
    }
    if (auto ok = CheckText(description, kMaxDescription, "description"); !ok) {
        return std::unexpected(ok.error());
    }
    MapInfo map;
    map.name = name;
    map.shape = MapShape{MapScope::kCustom, field, std::nullopt};
    map.kind = MapListKind::kCustom;
    map.description = description;
    auto id = repo_.Create(map, clock_());
    if (!id) return std::unexpected(id.error());
    Notify(name);
    audit_.Record(caller.actor, "map.create", MapTarget(name),
                  fmt::format("field {}", MapFieldName(field)));
    return repo_.Find(name);
}

Result<void> MapEditor::DeleteMap(const MapCaller& caller, const std::string& name) {
    if (!caller.admin) return Fail(ErrorCode::kPermissionDenied, "administrators only");
    auto map = repo_.Find(name);
    if (!map) return std::unexpected(map.error());
    if (map->builtin) return Fail(ErrorCode::kConflict, "a built-in map cannot be deleted");
    if (auto ok = repo_.Delete(map->id); !ok) return ok;
    Notify(name);
    audit_.Record(caller.actor, "map.delete", MapTarget(name));
    return {};
}

Result<MapInfo> MapEditor::UpdateMap(const MapCaller& caller, const std::string& name,
                                     const std::optional<std::string>& new_name,
                                     const std::optional<std::string>& description) {
    if (!caller.admin) return Fail(ErrorCode::kPermissionDenied, "administrators only");
    auto map = repo_.Find(name);
    if (!map) return std::unexpected(map.error());
    if (map->builtin) return Fail(ErrorCode::kConflict, "a built-in map cannot be changed");
    const std::string to = new_name.value_or(name);
    if (!ValidMapName(to)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "a map name is 1-64 of a-z 0-9 . _ -, starting with a letter or digit");
    }
    const std::string descr = description.value_or(map->description);
    if (auto ok = CheckText(descr, kMaxDescription, "description"); !ok) {
        return std::unexpected(ok.error());
    }
    if (to == name && descr == map->description) return map;
    if (to != name) {
        if (auto taken = repo_.Find(to); taken) {
            return Fail(ErrorCode::kConflict, "a map of that name exists already");
        }
    }
    if (auto ok = repo_.Rename(map->id, to, descr, clock_()); !ok) {
        return std::unexpected(ok.error());
    }
    Notify(name);
    Notify(to);
    audit_.Record(caller.actor, to == name ? "map.update" : "map.rename", MapTarget(name),
                  to == name ? "description" : fmt::format("renamed to {}", to));
    return repo_.Find(to);
}

Result<void> MapEditor::CheckRecipient(const MapCaller& caller, const MapInfo& map,
                                       const MapValue& value) const {
    if (caller.admin || !IsPair(map)) return {};
    if (!Contains(caller.addresses, value.second)) {
        return Fail(ErrorCode::kPermissionDenied,
                    fmt::format("{} is not one of your addresses", value.second));
    }
    return {};
}

Result<AddLinesResult> MapEditor::AddLines(const MapCaller& caller, const std::string& name,
                                           std::string_view text, const AddLinesOptions& options) {
    auto map = OpenMap(caller, name);
    if (!map) return std::unexpected(map.error());
    // Users add personal entries only; combined maps are the administrators'.
    if (!caller.admin && map->shape.scope != MapScope::kPersonal) {
        return Fail(ErrorCode::kPermissionDenied, "only administrators add to this map");
    }
    if (auto ok = CheckText(options.comment, kMaxComment, "comment"); !ok) {
        return std::unexpected(ok.error());
    }
    const std::int64_t now = clock_();
    if (options.expires_at && *options.expires_at <= now) {
        return Fail(ErrorCode::kInvalidArgument, "expires_at must be in the future");
    }
    const std::size_t lines_in_text = static_cast<std::size_t>(std::ranges::count(text, '\n')) +
                                      (!text.empty() && text.back() != '\n' ? 1 : 0);
    if (lines_in_text > options_.max_lines) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("at most {} lines at once", options_.max_lines));
    }
    ParsedMapLines parsed = ParseMapLines(map->shape, text);
    AddLinesResult out;
    out.errors = std::move(parsed.errors);
    std::vector<NewMapEntry> entries;
    std::vector<std::size_t> lines;
    for (MapValue& v : parsed.values) {
        if (auto ok = CheckRecipient(caller, *map, v); !ok) {
            out.errors.push_back({v.line, ok.error().public_msg});
            continue;
        }
        if (map->shape.first == MapField::kRegexp && regexp_compiles_) {
            if (auto ok = regexp_compiles_(v.first); !ok) {
                out.errors.push_back({v.line, ok.error().public_msg});
                continue;
            }
        }
        NewMapEntry e;
        e.value = std::move(v.first);
        e.second = std::move(v.second);
        e.score = v.score;
        e.enabled = options.enabled;
        e.comment = options.comment;
        e.expires_at = options.expires_at;
        if (!caller.admin) e.owner_id = caller.actor.id;
        // 0: no account behind the change (a command-line tool).
        if (caller.actor.id > 0) e.created_by = caller.actor.id;
        entries.push_back(std::move(e));
        lines.push_back(v.line);
    }
    if (!entries.empty()) {
        auto added = repo_.AddEntries(map->id, entries, now);
        if (!added) return std::unexpected(added.error());
        out.ids = std::move(added->ids);
        for (std::size_t i : added->duplicates) {
            out.errors.push_back({lines[i], "already in the map"});
        }
    }
    std::ranges::sort(out.errors, {}, &MapLineError::line);
    if (!out.ids.empty()) {
        Notify(name);
        audit_.Record(caller.actor, "map.entry.add", MapTarget(name),
                      out.ids.size() == 1
                          ? fmt::format("entry {}: {}", out.ids[0],
                                        MapEntryLine(map->shape,
                                                     MapEntry{.value = entries[0].value,
                                                              .second = entries[0].second}))
                          : fmt::format("{} entries", out.ids.size()));
    }
    return out;
}

void MapEditor::Notify(const std::string& name) {
    if (on_change_) on_change_(name);
}

MapEntryQuery MapEditor::Visible(const MapCaller& caller) const {
    MapEntryQuery q;
    if (caller.admin) return q;
    q.restricted = true;
    q.owner_id = caller.actor.id;
    if (options_.users_see_admin_entries && !caller.addresses.empty()) {
        q.admin_entries_for = caller.addresses;
    }
    return q;
}

Result<MapEntry> MapEditor::OpenEntry(const MapCaller& caller, const MapInfo& map,
                                      std::int64_t entry_id, bool to_change) {
    auto entry = repo_.FindEntry(map.id, entry_id);
    if (!entry) return entry;
    if (caller.admin) return entry;
    if (entry->owner_id) {
        if (*entry->owner_id == caller.actor.id) return entry;
        return std::unexpected(NoEntry());  // another user's: not even its existence
    }
    if (!options_.users_see_admin_entries || !Contains(caller.addresses, entry->second)) {
        return std::unexpected(NoEntry());
    }
    if (to_change && !options_.users_edit_admin_entries) {
        return Fail(ErrorCode::kPermissionDenied, "an administrator's entry; ask them to change it");
    }
    return entry;
}

Result<MapEntry> MapEditor::UpdateEntry(const MapCaller& caller, const std::string& name,
                                        std::int64_t entry_id, const EntryPatch& patch) {
    auto map = OpenMap(caller, name);
    if (!map) return std::unexpected(map.error());
    auto entry = OpenEntry(caller, *map, entry_id, /*to_change=*/true);
    if (!entry) return entry;
    std::vector<std::string> changed;
    if (patch.line) {
        auto v = ParseMapLine(map->shape, *patch.line);
        if (!v) return std::unexpected(v.error());
        if (auto ok = CheckRecipient(caller, *map, *v); !ok) return std::unexpected(ok.error());
        if (map->shape.first == MapField::kRegexp && regexp_compiles_) {
            if (auto ok = regexp_compiles_(v->first); !ok) return std::unexpected(ok.error());
        }
        changed.push_back(fmt::format("{} -> {}", MapEntryLine(map->shape, *entry),
                                      MapEntryLine(map->shape, MapEntry{.value = v->first,
                                                                        .second = v->second})));
        entry->value = std::move(v->first);
        entry->second = std::move(v->second);
        entry->score = v->score;
    }
    if (patch.enabled) {
        entry->enabled = *patch.enabled;
        changed.push_back(*patch.enabled ? "enabled" : "disabled");
    }
    if (patch.comment) {
        if (auto ok = CheckText(*patch.comment, kMaxComment, "comment"); !ok) {
            return std::unexpected(ok.error());
        }
        entry->comment = *patch.comment;
        changed.push_back("comment");
    }
    const std::int64_t now = clock_();
    if (patch.expires_at) {
        if (*patch.expires_at && **patch.expires_at <= now) {
            return Fail(ErrorCode::kInvalidArgument, "expires_at must be in the future");
        }
        entry->expires_at = *patch.expires_at;
        changed.push_back("expiry");
    }
    if (auto ok = repo_.UpdateEntry(*entry, now); !ok) return std::unexpected(ok.error());
    Notify(name);
    audit_.Record(caller.actor, "map.entry.update", MapTarget(name),
                  fmt::format("entry {}: {}", entry_id, fmt::join(changed, ", ")));
    return repo_.FindEntry(map->id, entry_id);
}

Result<std::int64_t> MapEditor::DeleteEntries(const MapCaller& caller, const std::string& name,
                                              const std::vector<std::int64_t>& ids) {
    auto map = OpenMap(caller, name);
    if (!map) return std::unexpected(map.error());
    if (ids.empty() || ids.size() > options_.max_lines) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("give 1-{} entry ids", options_.max_lines));
    }
    if (!caller.admin) {
        for (std::int64_t id : ids) {
            if (auto e = OpenEntry(caller, *map, id, /*to_change=*/true); !e) {
                return std::unexpected(e.error());
            }
        }
    }
    auto deleted = repo_.DeleteEntries(map->id, ids, clock_());
    if (!deleted) return deleted;
    if (*deleted > 0) {
        Notify(name);
        audit_.Record(caller.actor, "map.entry.delete", MapTarget(name),
                      ids.size() == 1 ? fmt::format("entry {}", ids[0])
                                      : fmt::format("{} entries", *deleted));
    }
    return deleted;
}

Result<std::int64_t> MapEditor::DeleteAll(const MapCaller& caller, const std::string& name) {
    if (!caller.admin) return Fail(ErrorCode::kPermissionDenied, "administrators only");
    auto map = repo_.Find(name);
    if (!map) return std::unexpected(map.error());
    auto deleted = repo_.DeleteAllEntries(map->id, clock_());
    if (!deleted) return deleted;
    Notify(name);
    audit_.Record(caller.actor, "map.entry.delete_all", MapTarget(name),
                  fmt::format("{} entries", *deleted));
    return deleted;
}

Result<std::vector<MapEntry>> MapEditor::Search(const MapCaller& caller, const std::string& name,
                                                const std::string& contains,
                                                std::optional<std::int64_t> after_id, int limit) {
    auto map = OpenMap(caller, name);
    if (!map) return std::unexpected(map.error());
    if (limit < 1 || limit > 1000) return Fail(ErrorCode::kInvalidArgument, "limit must be 1-1000");
    if (auto ok = CheckText(contains, kMaxMapLineBytes, "q"); !ok) return std::unexpected(ok.error());
    MapEntryQuery q = Visible(caller);
    q.contains = contains;
    q.after_id = after_id;
    q.limit = limit;
    return repo_.SearchEntries(map->id, q);
}

Result<std::string> MapEditor::Export(const MapCaller& caller, const std::string& name) {
    auto map = OpenMap(caller, name);
    if (!map) return std::unexpected(map.error());
    MapEntryQuery q = Visible(caller);
    q.limit = 100'000;
    std::string out;
    for (;;) {
        auto page = repo_.SearchEntries(map->id, q);
        if (!page) return std::unexpected(page.error());
        for (const MapEntry& e : *page) {
            if (!e.enabled) out += "# ";
            out += MapEntryLine(map->shape, e);
            out += '\n';
        }
        if (page->size() < static_cast<std::size_t>(q.limit)) break;
        q.after_id = page->back().id;
    }
    return out;
}

}  // namespace rqwatch::app
