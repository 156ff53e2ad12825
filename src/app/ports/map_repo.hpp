#pragma once
// Port: allow/block maps and their entries (SQL in storage/, migration 0016).
// Every write that changes what a map renders also moves the map's change
// stamp forward in the same transaction (max(now, stamp + 1 s)), so that the
// Last-Modified Rspamd sees strictly increases, whichever node wrote.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/map_kind.hpp"

namespace rqwatch::app {

// What Rspamd does with a hit: the built-in maps are allow or block lists;
// custom maps are used as an admin wires them.
enum class MapListKind { kAllow, kBlock, kCustom };

struct MapInfo {
    std::int64_t id = 0;
    std::string name;
    MapShape shape;
    MapListKind kind = MapListKind::kCustom;
    std::string description;
    bool builtin = false;
    std::int64_t created_at = 0;  // ms
    std::int64_t changed_at = 0;  // the change stamp, seconds since the epoch
    std::int64_t entry_count = 0;  // filled by List only
};

struct MapEntry {
    std::int64_t id = 0;
    std::int64_t map_id = 0;
    std::string value;
    std::string second;  // the recipient of combined and personal maps, else ""
    double score = 0;    // key-score custom maps
    bool enabled = true;
    std::string comment;
    std::optional<std::int64_t> expires_at;  // ms
    std::optional<std::int64_t> owner_id;    // personal entries of a user
    std::optional<std::int64_t> created_by;  // none once the creator is deleted
    std::string created_by_name;             // "" when the creator is gone
    std::int64_t created_at = 0;             // ms
    std::int64_t updated_at = 0;             // ms
};

// Which entries of a map a search returns.
struct MapEntryQuery {
    std::string contains;  // substring of value, second or comment (case-insensitive); "" = all
    // Non-admins: only entries owned by `owner_id`, plus (if set) entries
    // made by admins (owner NULL) whose recipient is one of `recipients`.
    bool restricted = false;
    std::int64_t owner_id = 0;
    std::optional<std::vector<std::string>> admin_entries_for;
    std::optional<std::int64_t> after_id;  // keyset: ids greater than this
    int limit = 100;                       // 1..10000 (export: up to the whole map)
};

// One entry to add; `key` is unique within the map.
struct NewMapEntry {
    std::string value;
    std::string second;
    double score = 0;
    bool enabled = true;
    std::string comment;
    std::optional<std::int64_t> expires_at;
    std::optional<std::int64_t> owner_id;
    std::optional<std::int64_t> created_by;
};

struct AddEntriesResult {
    std::vector<std::int64_t> ids;         // of the added entries, in input order
    std::vector<std::size_t> duplicates;   // input indexes already in the map
};

// What a publisher needs to render a map, and to tell whether it changed.
struct MapStamp {
    std::int64_t map_id = 0;
    // max(changed_at, the latest expiry up to now in seconds): an entry
    // leaving the map by expiring moves it forward too.
    std::int64_t stamp = 0;
    // How many entries have expired by now: with the stamp, the key of a
    // cached body (a stamp pushed ahead of the clock by a burst of changes
    // would not move when an entry expires).
    std::int64_t expired = 0;
};

class MapRepo {
  public:
    virtual ~MapRepo() = default;
    [[nodiscard]] virtual Result<std::vector<MapInfo>> List() = 0;
    // kNotFound when absent.
    [[nodiscard]] virtual Result<MapInfo> Find(const std::string& name) = 0;
    // kConflict when the name is taken.
    [[nodiscard]] virtual Result<std::int64_t> Create(const MapInfo& map, std::int64_t now_ms) = 0;
    // Deletes the map and its entries; kNotFound when absent.
    [[nodiscard]] virtual Result<void> Delete(std::int64_t map_id) = 0;
    // New name and description, entries kept, stamp bumped; kConflict when
    // the name is taken, kNotFound when the map is absent.
    [[nodiscard]] virtual Result<void> Rename(std::int64_t map_id, const std::string& name,
                                              const std::string& description,
                                              std::int64_t now_ms) = 0;

    // Adds the entries that are not in the map yet (by value + second), in
    // one transaction, and bumps the stamp when any was added.
    [[nodiscard]] virtual Result<AddEntriesResult> AddEntries(std::int64_t map_id,
                                                              const std::vector<NewMapEntry>& entries,
                                                              std::int64_t now_ms) = 0;
    [[nodiscard]] virtual Result<MapEntry> FindEntry(std::int64_t map_id, std::int64_t entry_id) = 0;
    // Rewrites value, second, score, enabled, comment, expires_at of entry
    // `entry.id`; kConflict when the new value is in the map already.
    [[nodiscard]] virtual Result<void> UpdateEntry(const MapEntry& entry, std::int64_t now_ms) = 0;
    // Deletes those of `ids` that belong to the map; returns how many.
    [[nodiscard]] virtual Result<std::int64_t> DeleteEntries(std::int64_t map_id,
                                                             const std::vector<std::int64_t>& ids,
                                                             std::int64_t now_ms) = 0;
    // Deletes every entry of the map; returns how many.
    [[nodiscard]] virtual Result<std::int64_t> DeleteAllEntries(std::int64_t map_id,
                                                                std::int64_t now_ms) = 0;
    // Ordered by id.
    [[nodiscard]] virtual Result<std::vector<MapEntry>> SearchEntries(std::int64_t map_id,
                                                                      const MapEntryQuery& query) = 0;

    // For Last-Modified: one indexed read, no entries.
    [[nodiscard]] virtual Result<MapStamp> Stamp(const std::string& name, std::int64_t now_ms) = 0;
    // Calls `line` with the value and second of each enabled entry that has
    // not expired at `now_ms`, in id order; returns how many. Streamed, not
    // a vector of MapEntry: a map body is re-read whole after each change,
    // and at 100,000 entries building the entries cost as much as reading
    // them. The views are valid during the call only.
    using LiveEntryFn = std::function<void(std::string_view value, std::string_view second)>;
    [[nodiscard]] virtual Result<std::size_t> EachLiveEntry(std::int64_t map_id,
                                                            std::int64_t now_ms,
                                                            const LiveEntryFn& line) = 0;
};

[[nodiscard]] std::string_view MapListKindName(MapListKind kind);
[[nodiscard]] std::optional<MapListKind> ParseMapListKind(std::string_view name);
[[nodiscard]] std::string_view MapScopeName(MapScope scope);
[[nodiscard]] std::optional<MapScope> ParseMapScope(std::string_view name);

}  // namespace rqwatch::app
