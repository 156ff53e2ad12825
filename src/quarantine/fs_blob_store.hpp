#pragma once

#include <memory>
#include <mutex>
#include <set>

#include "app/ports/blob_store.hpp"

namespace rqwatch::quarantine {

// Quarantine as files: <root>/<yyyy-mm-dd>/<spool_id>.eml, directories 0750, files 0640.
class FsBlobStore final : public app::BlobStore {
public:
    [[nodiscard]] static Result<std::unique_ptr<FsBlobStore>> Open(const std::string& root, bool fsync);

    std::string RelativePath(const std::string& spool_id, std::int64_t received_at_ms) const override;
    std::string AbsolutePath(const std::string& relative) const override;
    Result<void> Adopt(const std::string& source_path, const std::string& relative) override;
    Result<void> Sync() override;

private:
    FsBlobStore(std::string root, bool fsync) : root_(std::move(root)), fsync_(fsync) {}
    Result<void> CopyAcrossFilesystems(const std::string& from, const std::string& to);

    std::string root_;
    bool fsync_;
    std::mutex mu_;
    std::set<std::string> dirty_dirs_;  // directories with renames not yet fsync'ed
    bool copied_ = false;               // a cross-fs copy needs a data sync too
};

}  // namespace rqwatch::quarantine
