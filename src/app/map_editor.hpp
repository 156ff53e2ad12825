#pragma once
// Use case: editing allow/block maps (issue 6). Administrators manage every
// map; they create and delete custom maps. Users work on personal maps:
// each entry's recipient must be one of their own addresses, and they see
// and change only their own entries, plus — as configured, reference §G6 —
// the entries administrators made for their addresses in combined and
// personal maps. Another user's entries are "not found". Every change is
// audited.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/ports/map_repo.hpp"
#include "core/map_entry.hpp"

namespace rqwatch::app {

struct MapEditorOptions {
    // USER_CAN_SEE_ADMIN_MAP_ENTRIES of the old system.
    bool users_see_admin_entries = true;
    // USER_CAN_DEL_ADMIN_MAP_ENTRIES: edit, toggle and delete them too.
    bool users_edit_admin_entries = false;
    // Lines of one add or import.
    std::size_t max_lines = 10'000;
};

// Who edits: the actor (audited), whether an administrator, and the
// addresses (email and aliases) a user may put as recipients.
struct MapCaller {
    Actor actor;
    bool admin = false;
    std::vector<std::string> addresses;  // lower case
};

struct AddLinesOptions {
    std::string comment;
    std::optional<std::int64_t> expires_at;  // ms
    bool enabled = true;
};

struct AddLinesResult {
    std::vector<std::int64_t> ids;
    std::vector<MapLineError> errors;  // bad lines and duplicates, by line number
};

struct EntryPatch {
    std::optional<std::string> line;  // the new value (and recipient), as typed
    std::optional<bool> enabled;
    std::optional<std::string> comment;
    std::optional<std::optional<std::int64_t>> expires_at;  // {nullopt}: no expiry
};

// Checks a /pattern/flags regexp map value beyond its form (compiles it);
// none: the form check of core/map_entry only.
using RegexpCompiles = std::function<Result<void>(std::string_view value)>;

class MapEditor {
  public:
    using Clock = std::function<std::int64_t()>;  // ms since the epoch
    MapEditor(MapRepo& repo, AuditTrail& audit, MapEditorOptions options = {},
              RegexpCompiles regexp_compiles = {}, Clock clock = {});

    // The maps the caller may open: all for administrators; personal maps,
    // and combined maps when users see administrators' entries.
    [[nodiscard]] Result<std::vector<MapInfo>> ListMaps(const MapCaller& caller);
    [[nodiscard]] Result<MapInfo> GetMap(const MapCaller& caller, const std::string& name);
    // Administrators: a custom map of one field. kInvalidArgument (name,
    // field, description), kConflict (name taken).
    [[nodiscard]] Result<MapInfo> CreateMap(const MapCaller& caller, const std::string& name,
                                            MapField field, const std::string& description);
    // Administrators, custom maps only (kConflict for a built-in map).
    [[nodiscard]] Result<void> DeleteMap(const MapCaller& caller, const std::string& name);
    // Administrators, custom maps only: a new name (the entries move with
    // it, reference §G7; the old URL answers 404 from then on, so Rspamd's
    // configuration must be printed again) and/or description.
    // kInvalidArgument, kConflict (built-in map, or the name is taken).
    [[nodiscard]] Result<MapInfo> UpdateMap(const MapCaller& caller, const std::string& name,
                                            const std::optional<std::string>& new_name,
                                            const std::optional<std::string>& description);

    // One value per line; per-line errors leave the other lines alone.
    // kInvalidArgument when there are more than max_lines lines or the
    // options are bad; kPermissionDenied when the caller may not add here.
    [[nodiscard]] Result<AddLinesResult> AddLines(const MapCaller& caller, const std::string& name,
                                                  std::string_view text,
                                                  const AddLinesOptions& options);
    [[nodiscard]] Result<MapEntry> UpdateEntry(const MapCaller& caller, const std::string& name,
                                               std::int64_t entry_id, const EntryPatch& patch);
    // Deletes those of `ids` the caller may delete; kNotFound when one is
    // not visible (nothing is deleted then).
    [[nodiscard]] Result<std::int64_t> DeleteEntries(const MapCaller& caller,
                                                     const std::string& name,
                                                     const std::vector<std::int64_t>& ids);
    // Administrators: every entry of the map.
    [[nodiscard]] Result<std::int64_t> DeleteAll(const MapCaller& caller, const std::string& name);
    [[nodiscard]] Result<std::vector<MapEntry>> Search(const MapCaller& caller,
                                                       const std::string& name,
                                                       const std::string& contains,
                                                       std::optional<std::int64_t> after_id,
                                                       int limit);
    // The visible entries as text, one per line as they are typed; disabled
    // ones commented out ("# "), so that importing the text skips them.
    [[nodiscard]] Result<std::string> Export(const MapCaller& caller, const std::string& name);

    [[nodiscard]] const MapEditorOptions& Options() const { return options_; }
    // Called with a map's name after each change (the publisher of this
    // process drops its cached stamp, so the change shows at once).
    void OnChange(std::function<void(const std::string&)> fn) { on_change_ = std::move(fn); }

  private:
    Result<MapInfo> OpenMap(const MapCaller& caller, const std::string& name);
    Result<MapEntry> OpenEntry(const MapCaller& caller, const MapInfo& map, std::int64_t entry_id,
                               bool to_change);
    MapEntryQuery Visible(const MapCaller& caller) const;
    void Notify(const std::string& name);
    Result<void> CheckRecipient(const MapCaller& caller, const MapInfo& map,
                                const MapValue& value) const;

    MapRepo& repo_;
    AuditTrail& audit_;
    MapEditorOptions options_;
    RegexpCompiles regexp_compiles_;
    Clock clock_;
    std::function<void(const std::string&)> on_change_;
};

// A map line as a user types it: "value", "value|rcpt" is not used — the
// recipient follows after a space — and "key score" for key-score maps.
[[nodiscard]] std::string MapEntryLine(const MapShape& shape, const MapEntry& entry);

// "map:NAME", the audit target of a map.
[[nodiscard]] std::string MapTarget(const std::string& name);

}  // namespace rqwatch::app
