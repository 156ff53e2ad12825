#pragma once
// app::MapRepo on SQL (SOCI): the maps and map_entries tables (migration 0016).

#include <memory>

#include "app/ports/map_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlMapRepo final : public app::MapRepo {
  public:
    explicit SqlMapRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<std::vector<app::MapInfo>> List() override;
    [[nodiscard]] Result<app::MapInfo> Find(const std::string& name) override;
    [[nodiscard]] Result<std::int64_t> Create(const app::MapInfo& map, std::int64_t now_ms) override;
    [[nodiscard]] Result<void> Delete(std::int64_t map_id) override;
    [[nodiscard]] Result<void> Rename(std::int64_t map_id, const std::string& name,
                                      const std::string& description,
                                      std::int64_t now_ms) override;
    [[nodiscard]] Result<app::AddEntriesResult> AddEntries(
        std::int64_t map_id, const std::vector<app::NewMapEntry>& entries,
        std::int64_t now_ms) override;
    [[nodiscard]] Result<app::MapEntry> FindEntry(std::int64_t map_id,
                                                  std::int64_t entry_id) override;
    [[nodiscard]] Result<void> UpdateEntry(const app::MapEntry& entry, std::int64_t now_ms) override;
    [[nodiscard]] Result<std::int64_t> DeleteEntries(std::int64_t map_id,
                                                     const std::vector<std::int64_t>& ids,
                                                     std::int64_t now_ms) override;
    [[nodiscard]] Result<std::int64_t> DeleteAllEntries(std::int64_t map_id,
                                                        std::int64_t now_ms) override;
    [[nodiscard]] Result<std::vector<app::MapEntry>> SearchEntries(
        std::int64_t map_id, const app::MapEntryQuery& query) override;
    [[nodiscard]] Result<app::MapStamp> Stamp(const std::string& name, std::int64_t now_ms) override;
    [[nodiscard]] Result<std::size_t> EachLiveEntry(std::int64_t map_id, std::int64_t now_ms,
                                                    const LiveEntryFn& line) override;

  private:
    std::shared_ptr<Database> db_;
};

// The unique key of an entry within its map: hex BLAKE2b-256 of
// value + "\n" + second (exposed for tests).
[[nodiscard]] std::string MapEntryKey(const std::string& value, const std::string& second);

}  // namespace rqwatch::storage
