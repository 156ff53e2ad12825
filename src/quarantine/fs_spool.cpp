#include "quarantine/fs_spool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "util/ids.hpp"

namespace rqwatch::quarantine {
namespace {

constexpr std::string_view kEml = ".eml";
constexpr std::string_view kJson = ".json";
constexpr std::int64_t kFreeSpaceCheckMs = 1000;

bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> ListDir(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return names;
    while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != "..") names.push_back(std::move(n));
    }
    ::closedir(d);
    return names;
}

}  // namespace

FsSpool::FsSpool(SpoolOptions options) : options_(std::move(options)) {}

FsSpool::~FsSpool() { Stop(); }

std::string FsSpool::Incoming(const std::string& name) const { return options_.dir + "/incoming/" + name; }
std::string FsSpool::New(const std::string& name) const { return options_.dir + "/new/" + name; }

Result<std::unique_ptr<FsSpool>> FsSpool::Open(const SpoolOptions& options) {
    for (const char* sub : {"/incoming", "/new", "/bad"}) {
        if (auto r = util::MakeDirs(options.dir + sub); !r) return std::unexpected(r.error());
    }
    std::unique_ptr<FsSpool> spool(new FsSpool(options));
    spool->dir_fd_.Reset(::open(options.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    spool->new_dir_fd_.Reset(::open((options.dir + "/new").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!spool->dir_fd_.Valid() || !spool->new_dir_fd_.Valid()) {
        return std::unexpected(util::IoError("open spool directory " + options.dir, errno));
    }
    // Drafts were never acknowledged: a crash mid-request leaves them behind.
    std::size_t drafts = 0;
    for (const auto& n : ListDir(options.dir + "/incoming")) {
        ::unlink(spool->Incoming(n).c_str());
        ++drafts;
    }
    // A .eml without its .json in new/ is a commit interrupted between the two
    // renames: also never acknowledged.
    std::set<std::string> jsons;
    std::vector<std::string> emls;
    for (const auto& n : ListDir(options.dir + "/new")) {
        if (EndsWith(n, kJson)) jsons.insert(n.substr(0, n.size() - kJson.size()));
        if (EndsWith(n, kEml)) emls.push_back(n.substr(0, n.size() - kEml.size()));
    }
    for (const auto& id : emls) {
        if (!jsons.contains(id)) {
            ::unlink(spool->New(id + std::string(kEml)).c_str());
            ++drafts;
        }
    }
    spool->pending_ = jsons.size();
    if (drafts > 0) spdlog::info("spool: discarded {} unacknowledged drafts", drafts);
    if (!jsons.empty()) spdlog::info("spool: {} acknowledged mails waiting for import", jsons.size());
    spool->committer_ = std::thread([s = spool.get()] { s->CommitterLoop(); });
    return spool;
}

Result<void> FsSpool::CheckFreeSpace() {
    // statvfs on every request would be cheap enough, but once a second is plenty.
    const auto now = util::NowUnixMs();
    if (now - free_checked_at_ms_.load() >= kFreeSpaceCheckMs) {
        free_checked_at_ms_ = now;
        auto free = util::FreeBytes(options_.dir);
        disk_full_ = !free || *free < options_.min_free_bytes;
        if (disk_full_) spdlog::error("spool: file system of {} is (nearly) full", options_.dir);
    }
    if (disk_full_) {
        return Fail(ErrorCode::kUnavailable, "spool disk full", "free space below spool.min_free_mb");
    }
    return {};
}

Result<app::SpoolDraft> FsSpool::Begin() {
    if (auto r = CheckFreeSpace(); !r) return std::unexpected(r.error());
    app::SpoolDraft d;
    d.received_at = util::NowUnixMs();
    d.id = util::NewSpoolId(d.received_at);
    d.message_path = Incoming(d.id + ".eml.tmp");
    return d;
}

Result<void> FsSpool::WriteMessage(app::SpoolDraft& draft, std::string_view bytes) {
    util::UniqueFd fd(::open(draft.message_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (!fd.Valid()) return std::unexpected(util::IoError("create " + draft.message_path, errno));
    if (auto r = util::WriteAll(fd.Get(), bytes); !r) {
        ::unlink(draft.message_path.c_str());
        return r;
    }
    draft.has_message = true;
    return {};
}

void FsSpool::Abort(const app::SpoolDraft& draft) {
    ::unlink(draft.message_path.c_str());
    ::unlink(Incoming(draft.id + ".json.tmp").c_str());
}

void FsSpool::Commit(app::SpoolDraft draft, std::string metadata_json,
                     std::function<void(Result<void>)> done) {
    // Writing the small sidecar here keeps the committer thread for syncs and renames only.
    const std::string json_tmp = Incoming(draft.id + ".json.tmp");
    util::UniqueFd fd(::open(json_tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    Result<void> wrote = fd.Valid() ? util::WriteAll(fd.Get(), metadata_json)
                                    : Result<void>(std::unexpected(util::IoError("create " + json_tmp, errno)));
    fd.Reset();
    if (!wrote) {
        Abort(draft);
        done(std::unexpected(wrote.error()));
        return;
    }
    {
        std::lock_guard lock(mu_);
        if (!stopping_) {
            queue_.push_back(PendingCommit{std::move(draft), {}, std::move(done)});
            cv_.notify_one();
            return;
        }
    }
    Abort(draft);
    done(Fail(ErrorCode::kUnavailable, "shutting down"));
}

void FsSpool::CommitterLoop() {
    std::vector<PendingCommit> batch;
    for (;;) {
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.end()));
            queue_.clear();
        }
        CommitBatch(batch);
        batch.clear();
    }
}

void FsSpool::CommitBatch(std::vector<PendingCommit>& batch) {
    auto fail_all = [&](const Error& e) {
        spdlog::error("spool: commit of {} mails failed: {}", batch.size(), e.detail);
        for (auto& p : batch) {
            Abort(p.draft);
            p.done(std::unexpected(e));
        }
    };
    // One syncfs flushes the data of every draft in the batch.
    if (options_.fsync) {
        if (auto r = util::SyncFilesystem(dir_fd_.Get()); !r) return fail_all(r.error());
    }
    std::vector<PendingCommit*> renamed;
    renamed.reserve(batch.size());
    for (auto& p : batch) {
        const auto& id = p.draft.id;
        const std::string json_tmp = Incoming(id + ".json.tmp");
        if (p.draft.has_message &&
            ::rename(p.draft.message_path.c_str(), New(id + std::string(kEml)).c_str()) != 0) {
            Error e = util::IoError("rename " + p.draft.message_path, errno);
            Abort(p.draft);
            p.done(std::unexpected(e));
            continue;
        }
        if (::rename(json_tmp.c_str(), New(id + std::string(kJson)).c_str()) != 0) {
            Error e = util::IoError("rename " + json_tmp, errno);
            ::unlink(New(id + std::string(kEml)).c_str());
            Abort(p.draft);
            p.done(std::unexpected(e));
            continue;
        }
        renamed.push_back(&p);
    }
    // One directory fsync makes every rename of the batch durable.
    if (options_.fsync && !renamed.empty() && ::fsync(new_dir_fd_.Get()) != 0) {
        Error e = util::IoError("fsync spool/new", errno);
        spdlog::error("spool: {}", e.detail);
        // The renames may or may not survive a crash; we must not acknowledge.
        // Leaving them in new/ is harmless: the importer imports them anyway.
        pending_ += renamed.size();
        for (auto* p : renamed) p->done(std::unexpected(e));
        return;
    }
    pending_ += renamed.size();
    for (auto* p : renamed) p->done({});
    std::function<void()> notify;
    {
        std::lock_guard lock(mu_);
        notify = on_committed_;
    }
    if (notify && !renamed.empty()) notify();
}

void FsSpool::OnCommitted(std::function<void()> callback) {
    std::lock_guard lock(mu_);
    on_committed_ = std::move(callback);
}

void FsSpool::Stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (committer_.joinable()) committer_.join();
}

std::vector<std::string> FsSpool::ListReady(std::size_t max) {
    std::vector<std::string> ids;
    for (auto& n : ListDir(options_.dir + "/new")) {
        if (EndsWith(n, kJson)) ids.push_back(n.substr(0, n.size() - kJson.size()));
    }
    // Ids start with the arrival time in hex: sorting gives arrival order.
    std::sort(ids.begin(), ids.end());
    if (ids.size() > max) ids.resize(max);
    return ids;
}

Result<app::SpoolEntry> FsSpool::Load(const std::string& id) {
    if (!util::IsValidSpoolId(id)) return Fail(ErrorCode::kInvalidArgument, "bad spool id", id);
    auto meta = util::ReadFile(New(id + std::string(kJson)));
    if (!meta) return std::unexpected(meta.error());
    app::SpoolEntry e{id, std::move(*meta), std::nullopt};
    const std::string eml = New(id + std::string(kEml));
    if (::access(eml.c_str(), F_OK) == 0) e.message_path = eml;
    return e;
}

Result<void> FsSpool::Remove(const std::string& id) {
    if (!util::IsValidSpoolId(id)) return Fail(ErrorCode::kInvalidArgument, "bad spool id", id);
    // The .eml goes first: an entry is defined by its .json, so a crash in
    // between leaves a complete-looking entry whose rows already exist (the
    // replay is then a no-op), never an orphaned message.
    const std::string eml = New(id + std::string(kEml));
    if (::unlink(eml.c_str()) != 0 && errno != ENOENT) return std::unexpected(util::IoError("unlink " + eml, errno));
    const std::string json = New(id + std::string(kJson));
    if (::unlink(json.c_str()) != 0 && errno != ENOENT) return std::unexpected(util::IoError("unlink " + json, errno));
    if (pending_ > 0) --pending_;
    return {};
}

void FsSpool::SetAside(const std::string& id, const std::string& reason) {
    spdlog::error("spool: setting entry {} aside in {}/bad: {}", id, options_.dir, reason);
    for (std::string_view ext : {kEml, kJson}) {
        const std::string from = New(id + std::string(ext));
        const std::string to = options_.dir + "/bad/" + id + std::string(ext);
        ::rename(from.c_str(), to.c_str());
    }
    if (pending_ > 0) --pending_;
}

}  // namespace rqwatch::quarantine
