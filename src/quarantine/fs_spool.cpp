#include "quarantine/fs_spool.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "quarantine/spool_record.hpp"
#include "util/ids.hpp"
#include "util/thread_name.hpp"

namespace rqwatch::quarantine {
namespace {

constexpr std::int64_t kFreeSpaceCheckMs = 1000;
constexpr std::size_t kCheckpointBytes = 64;

struct ReadRecord {
    RecordHeader header;
    std::string id;
    std::string meta;
    std::optional<std::string> body;
};

Result<void> PreadAll(int fd, char* buf, std::size_t len, std::uint64_t offset) {
    while (len > 0) {
        ssize_t n = ::pread(fd, buf, len, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::unexpected(util::IoError("read spool segment", errno));
        if (n == 0)
            return Fail(ErrorCode::kInternal, "spool segment shorter than its record", "eof");
        buf += n;
        len -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
    return {};
}

// Reads the record at `offset` if a complete, valid one ends at or before `end`.
// nullopt (not an error) for a torn or garbage record; `with_body` = false skips the message.
Result<std::optional<ReadRecord>> ReadAt(int fd, std::uint64_t offset, std::uint64_t end,
                                         bool with_body) {
    if (end - offset < kRecordHeaderBytes + kRecordFooterBytes) return std::optional<ReadRecord>{};
    std::string hbuf(kRecordHeaderBytes, '\0');
    if (auto r = PreadAll(fd, hbuf.data(), hbuf.size(), offset); !r)
        return std::unexpected(r.error());
    auto header = DecodeRecordHeader(hbuf);
    if (!header || header->TotalBytes() > end - offset) return std::optional<ReadRecord>{};
    ReadRecord rec{*header, std::string(header->id_len, '\0'), std::string(header->meta_len, '\0'),
                   std::nullopt};
    std::uint64_t at = offset + kRecordHeaderBytes;
    if (auto r = PreadAll(fd, rec.id.data(), rec.id.size(), at); !r)
        return std::unexpected(r.error());
    at += rec.id.size();
    if (auto r = PreadAll(fd, rec.meta.data(), rec.meta.size(), at); !r)
        return std::unexpected(r.error());
    at += rec.meta.size();
    if (with_body && (header->flags & kRecordHasMessage)) {
        rec.body.emplace(header->body_len, '\0');
        if (auto r = PreadAll(fd, rec.body->data(), rec.body->size(), at); !r)
            return std::unexpected(r.error());
    }
    at += header->body_len;
    std::string footer(kRecordFooterBytes, '\0');
    if (auto r = PreadAll(fd, footer.data(), footer.size(), at); !r)
        return std::unexpected(r.error());
    if (!FooterMatches(footer, rec.id, rec.meta)) return std::optional<ReadRecord>{};
    return std::optional<ReadRecord>(std::move(rec));
}

std::vector<std::uint64_t> ListSegments(const std::string& dir) {
    std::vector<std::uint64_t> seqs;
    DIR* d = ::opendir(dir.c_str());
    if (!d) return seqs;
    while (dirent* e = ::readdir(d)) {
        std::string_view n = e->d_name;
        if (n.size() != 20 || !n.ends_with(".log")) continue;
        std::uint64_t seq = 0;
        auto [p, ec] = std::from_chars(n.data(), n.data() + 16, seq, 16);
        if (ec == std::errc{} && p == n.data() + 16) seqs.push_back(seq);
    }
    ::closedir(d);
    std::sort(seqs.begin(), seqs.end());
    return seqs;
}

bool operator==(const app::SpoolPosition& a, const app::SpoolPosition& b) {
    return a.segment == b.segment && a.end_offset == b.end_offset;
}
bool Before(const app::SpoolPosition& a, const app::SpoolPosition& b) {
    return a.segment < b.segment || (a.segment == b.segment && a.end_offset < b.end_offset);
}

std::uint64_t FileSize(int fd) {
    struct stat st {};
    return ::fstat(fd, &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

}  // namespace

FsSpool::FsSpool(SpoolOptions options) : options_(std::move(options)) {}

FsSpool::~FsSpool() { Stop(); }

std::string FsSpool::SegmentPath(std::uint64_t seq) const {
    char name[32];
    std::snprintf(name, sizeof name, "%016" PRIx64 ".log", seq);
    return options_.dir + "/segments/" + name;
}

Result<std::unique_ptr<FsSpool>> FsSpool::Open(const SpoolOptions& options) {
    for (const char* sub : {"/segments", "/bad"}) {
        if (auto r = util::MakeDirs(options.dir + sub); !r) return std::unexpected(r.error());
    }
    std::unique_ptr<FsSpool> s(new FsSpool(options));
    s->segments_dir_fd_.Reset(
        ::open((options.dir + "/segments").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    s->checkpoint_fd_.Reset(
        ::open((options.dir + "/checkpoint").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640));
    if (!s->segments_dir_fd_.Valid() || !s->checkpoint_fd_.Valid()) {
        return std::unexpected(util::IoError("open spool " + options.dir, errno));
    }
    auto seqs = ListSegments(options.dir + "/segments");

    // Where the importer was. The checkpoint is written without fsync: when it
    // is stale or unreadable we start earlier and the replay is idempotent.
    char cp[kCheckpointBytes + 1] = {};
    std::uint64_t cseq = 0, coff = 0;
    const ssize_t got = ::pread(s->checkpoint_fd_.Get(), cp, kCheckpointBytes, 0);
    const bool have_cp = got > 0 && std::sscanf(cp, "%" SCNu64 " %" SCNu64, &cseq, &coff) == 2 &&
                         std::find(seqs.begin(), seqs.end(), cseq) != seqs.end();
    s->cursor_seq_ = have_cp ? cseq : (seqs.empty() ? 1 : seqs.front());
    s->cursor_offset_ = have_cp ? coff : 0;
    for (auto seq : seqs) {
        if (seq < s->cursor_seq_) ::unlink(s->SegmentPath(seq).c_str());
    }
    std::erase_if(seqs, [&](auto seq) { return seq < s->cursor_seq_; });

    // Count what is left, and cut a torn tail off the newest segment.
    std::size_t pending = 0;
    for (std::size_t i = 0; i < seqs.size(); ++i) {
        util::UniqueFd fd(::open(s->SegmentPath(seqs[i]).c_str(), O_RDWR | O_CLOEXEC));
        if (!fd.Valid())
            return std::unexpected(util::IoError("open " + s->SegmentPath(seqs[i]), errno));
        const std::uint64_t size = FileSize(fd.Get());
        std::uint64_t off = seqs[i] == s->cursor_seq_ ? s->cursor_offset_ : 0;
        if (off > size) off = 0;  // a checkpoint from a segment that was cut back: re-read it
        if (seqs[i] == s->cursor_seq_) s->cursor_offset_ = off;
        for (;;) {
            auto rec = ReadAt(fd.Get(), off, size, /*with_body=*/false);
            if (!rec) return std::unexpected(rec.error());
            if (!*rec) break;
            off += (*rec)->header.TotalBytes();
            ++pending;
        }
        if (off < size) {
            if (i + 1 == seqs.size()) {
                spdlog::warn(
                    "spool: discarding {} bytes of an unacknowledged write at the end of {}",
                    size - off, s->SegmentPath(seqs[i]));
                if (::ftruncate(fd.Get(), static_cast<off_t>(off)) != 0 || ::fsync(fd.Get()) != 0) {
                    return std::unexpected(
                        util::IoError("truncate " + s->SegmentPath(seqs[i]), errno));
                }
            } else {
                spdlog::error("spool: {} has {} unreadable bytes after offset {}; they are skipped",
                              s->SegmentPath(seqs[i]), size - off, off);
            }
        }
    }
    s->pending_ = pending;
    if (pending > 0) spdlog::info("spool: {} acknowledged mails waiting for import", pending);

    if (!seqs.empty()) {
        s->active_seq_ = seqs.back();
        s->active_fd_.Reset(::open(s->SegmentPath(s->active_seq_).c_str(), O_WRONLY | O_CLOEXEC));
        if (!s->active_fd_.Valid())
            return std::unexpected(util::IoError("open spool segment", errno));
        s->active_size_ = FileSize(s->active_fd_.Get());
    } else {
        s->active_seq_ = s->cursor_seq_ - 1;
        if (auto r = s->Rotate(); !r) return std::unexpected(r.error());
        s->cursor_seq_ = s->active_seq_;
        s->cursor_offset_ = 0;
    }
    s->committed_seq_ = s->active_seq_;
    s->committed_end_ = s->active_size_;
    s->committer_ = std::thread([p = s.get()] {
        util::SetThreadName("rqw-spool");
        p->CommitterLoop();
    });
    return s;
}

Result<void> FsSpool::Rotate() {
    const std::uint64_t seq = active_seq_ + 1;
    util::UniqueFd fd(
        ::open(SegmentPath(seq).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
    if (!fd.Valid()) return std::unexpected(util::IoError("create " + SegmentPath(seq), errno));
    if (options_.fsync && ::fsync(segments_dir_fd_.Get()) != 0) {
        return std::unexpected(util::IoError("fsync spool/segments", errno));
    }
    active_fd_ = std::move(fd);
    active_seq_ = seq;
    active_size_ = 0;
    return {};
}

Result<void> FsSpool::CheckFreeSpace() {
    const auto now = util::NowUnixMs();
    if (now - free_checked_at_ms_.load() >= kFreeSpaceCheckMs) {
        free_checked_at_ms_ = now;
        auto free = util::FreeBytes(options_.dir);
        const bool full = !free || *free < options_.min_free_bytes;
        if (full && !disk_full_)
            spdlog::error("spool: file system of {} is (nearly) full", options_.dir);
        disk_full_ = full;
    }
    if (disk_full_)
        return Fail(ErrorCode::kUnavailable, "spool disk full",
                    "free space below spool.min_free_mb");
    return {};
}

Result<app::SpoolDraft> FsSpool::Begin() {
    if (auto r = CheckFreeSpace(); !r) return std::unexpected(r.error());
    app::SpoolDraft d;
    d.received_at = util::NowUnixMs();
    d.id = util::NewSpoolId(d.received_at);
    return d;
}

void FsSpool::Commit(app::SpoolDraft draft, std::string metadata_json,
                     std::optional<std::string> message,
                     std::shared_ptr<const app::IngestEnvelope> decoded,
                     std::function<void(Result<void>)> done) {
    {
        std::lock_guard lock(mu_);
        if (!stopping_) {
            queue_.push_back(PendingCommit{std::move(draft), std::move(metadata_json),
                                           std::move(message), std::move(decoded),
                                           std::move(done)});
            cv_.notify_one();
            return;
        }
    }
    done(Fail(ErrorCode::kUnavailable, "shutting down"));
}

void FsSpool::CommitterLoop() {
    std::vector<PendingCommit> batch;
    for (;;) {
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            batch.assign(std::make_move_iterator(queue_.begin()),
                         std::make_move_iterator(queue_.end()));
            queue_.clear();
        }
        CommitBatch(batch);
        batch.clear();
    }
}

void FsSpool::CommitBatch(std::vector<PendingCommit>& batch) {
    const std::uint64_t start_seq = active_seq_;
    const std::uint64_t start_size = active_size_;
    // Where each record of the batch ends (its SpoolPosition).
    std::vector<app::SpoolPosition> ends;
    ends.reserve(batch.size());
    auto fail_all = [&](const Error& e) {
        spdlog::error("spool: commit of {} mails failed: {}", batch.size(), e.detail);
        // Cut the whole batch off, also from a segment left by a rotation in
        // this batch: a record whose request got an error must not be imported.
        if (active_seq_ != start_seq) {
            if (::truncate(SegmentPath(start_seq).c_str(), static_cast<off_t>(start_size)) != 0) {
                spdlog::error("spool: cannot cut back {}: {}", SegmentPath(start_seq),
                              util::ErrnoText("truncate", errno));
            }
            if (::ftruncate(active_fd_.Get(), 0) == 0) active_size_ = 0;
            std::lock_guard lock(mu_);
            committed_seq_ = active_seq_;  // the importer moves on from start_seq at its (cut) size
            committed_end_ = active_size_;
        } else if (::ftruncate(active_fd_.Get(), static_cast<off_t>(start_size)) == 0) {
            active_size_ = start_size;
        }
        for (auto& p : batch) p.done(std::unexpected(e));
    };
    for (auto& p : batch) {
        const std::string& id = p.draft.id;
        RecordHeader h{static_cast<std::uint32_t>(id.size()),
                       static_cast<std::uint32_t>(p.metadata_json.size()),
                       p.message ? p.message->size() : 0, p.message ? kRecordHasMessage : 0u};
        if (active_size_ > 0 && active_size_ + h.TotalBytes() > options_.segment_bytes) {
            if (options_.fsync && ::fdatasync(active_fd_.Get()) != 0) {
                return fail_all(util::IoError("fdatasync spool segment", errno));
            }
            if (auto r = Rotate(); !r) return fail_all(r.error());
        }
        const std::string header = EncodeRecordHeader(h);
        const std::string footer = EncodeRecordFooter(id, p.metadata_json);
        iovec iov[5] = {
            {const_cast<char*>(header.data()), header.size()},
            {const_cast<char*>(id.data()), id.size()},
            {p.metadata_json.data(), p.metadata_json.size()},
            {p.message ? p.message->data() : nullptr, p.message ? p.message->size() : 0},
            {const_cast<char*>(footer.data()), footer.size()}};
        std::uint64_t total = h.TotalBytes();
        std::uint64_t written = 0;
        int first = 0;
        while (written < total) {
            ssize_t n = ::pwritev(active_fd_.Get(), iov + first, 5 - first,
                                  static_cast<off_t>(active_size_ + written));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return fail_all(util::IoError("write spool segment", errno));
            written += static_cast<std::uint64_t>(n);
            // Advance the iovec array past what was written.
            auto left = static_cast<std::size_t>(n);
            while (first < 5 && left >= iov[first].iov_len) left -= iov[first++].iov_len;
            if (first < 5) {
                iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
                iov[first].iov_len -= left;
            }
        }
        active_size_ += total;
        ends.push_back(app::SpoolPosition{active_seq_, active_size_});
    }
    // One fdatasync makes the whole batch durable (group commit).
    if (options_.fsync && ::fdatasync(active_fd_.Get()) != 0) {
        return fail_all(util::IoError("fdatasync spool segment", errno));
    }
    std::function<void()> notify;
    {
        std::lock_guard lock(mu_);
        committed_seq_ = active_seq_;
        committed_end_ = active_size_;
        notify = on_committed_;
        app::SpoolPosition prev{start_seq, start_size};
        for (std::size_t i = 0; i < batch.size(); ++i) {
            auto& p = batch[i];
            const std::uint64_t bytes =
                p.metadata_json.size() + (p.message ? p.message->size() : 0);
            // Beyond the budget (the importer lags) the record stays on disk only.
            if (ready_bytes_ + bytes <= options_.handoff_bytes) {
                ready_.push_back(ReadyEntry{
                    app::SpoolEntry{p.draft.id, std::move(p.metadata_json), std::move(p.message),
                                    ends[i], std::move(p.decoded)},
                    prev, bytes});
                ready_bytes_ += bytes;
            }
            prev = ends[i];
        }
    }
    pending_ += batch.size();
    for (auto& p : batch) p.done({});
    if (notify) notify();
}

app::SpoolPosition FsSpool::TakeReady(app::SpoolPosition& cursor, std::size_t max, bool adjacent,
                                      std::vector<app::SpoolEntry>& out) {
    std::lock_guard lock(mu_);
    auto pop = [&] {
        ready_bytes_ -= ready_.front().bytes;
        ready_.pop_front();
    };
    // Entries the importer already got from disk (or took before a failed batch).
    while (!ready_.empty() && !Before(cursor, ready_.front().entry.position)) pop();
    while (out.size() < max && !ready_.empty() && (adjacent || ready_.front().prev == cursor)) {
        adjacent = false;
        cursor = ready_.front().entry.position;
        out.push_back(std::move(ready_.front().entry));
        pop();
    }
    return ready_.empty() ? app::SpoolPosition{committed_seq_, committed_end_}
                          : ready_.front().prev;
}

Result<std::vector<app::SpoolEntry>> FsSpool::Next(std::size_t max) {
    app::SpoolPosition cursor;
    {
        std::lock_guard lock(cursor_mu_);
        cursor = app::SpoolPosition{cursor_seq_, cursor_offset_};
    }
    std::vector<app::SpoolEntry> out;
    // Memory first; the log only for what memory does not hold.
    const app::SpoolPosition limit = TakeReady(cursor, max, /*adjacent=*/false, out);
    if (!out.empty()) return out;
    const std::uint64_t committed_seq = limit.segment;
    const std::uint64_t committed_end = limit.end_offset;
    std::uint64_t seq = cursor.segment, off = cursor.end_offset;
    while (out.size() < max && seq <= committed_seq) {
        util::UniqueFd fd(::open(SegmentPath(seq).c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd.Valid()) {
            if (errno == ENOENT && seq < committed_seq) {  // a gap: nothing was ever written there
                ++seq;
                off = 0;
                continue;
            }
            return std::unexpected(util::IoError("open " + SegmentPath(seq), errno));
        }
        const std::uint64_t end = seq == committed_seq ? committed_end : FileSize(fd.Get());
        while (out.size() < max && off < end) {
            auto rec = ReadAt(fd.Get(), off, end, /*with_body=*/true);
            if (!rec) return std::unexpected(rec.error());
            if (!*rec) {
                // Only possible in a sealed segment damaged on disk: skip its rest.
                spdlog::error(
                    "spool: unreadable record in {} at offset {}; skipping the rest of the segment",
                    SegmentPath(seq), off);
                off = end;
                break;
            }
            off += (*rec)->header.TotalBytes();
            out.push_back(app::SpoolEntry{std::move((*rec)->id), std::move((*rec)->meta),
                                          std::move((*rec)->body), app::SpoolPosition{seq, off}});
        }
        if (off < end || seq == committed_seq) break;
        ++seq;
        off = 0;
    }
    // The log is read up to where memory continues. When it held nothing
    // readable, memory continues anyway: a commit that failed after rotating
    // cut its batch back, and memory then starts in the new segment, not where
    // the old one ends.
    app::SpoolPosition at = out.empty() ? cursor : out.back().position;
    if (out.size() < max) TakeReady(at, max, /*adjacent=*/out.empty(), out);
    return out;
}

Result<void> FsSpool::MarkImported(const app::SpoolPosition& last, std::size_t count) {
    std::uint64_t old_seq = 0;
    {
        std::lock_guard lock(cursor_mu_);
        old_seq = cursor_seq_;
        cursor_seq_ = last.segment;
        cursor_offset_ = last.end_offset;
    }
    pending_ -= std::min(count, pending_.load());
    char cp[kCheckpointBytes];
    std::memset(cp, ' ', sizeof cp);
    const int n =
        std::snprintf(cp, sizeof cp, "%" PRIu64 " %" PRIu64 "\n", last.segment, last.end_offset);
    if (n > 0 && static_cast<std::size_t>(n) < sizeof cp) cp[n] = ' ';
    if (::pwrite(checkpoint_fd_.Get(), cp, sizeof cp, 0) != static_cast<ssize_t>(sizeof cp)) {
        spdlog::warn("spool: cannot write checkpoint: {}", util::ErrnoText("pwrite", errno));
    }
    // Segments before the cursor are fully imported.
    for (std::uint64_t seq = old_seq; seq < last.segment; ++seq) ::unlink(SegmentPath(seq).c_str());
    return {};
}

void FsSpool::SetAside(const app::SpoolEntry& entry, const std::string& reason) {
    spdlog::error("spool: setting entry {} aside in {}/bad: {}", entry.id, options_.dir, reason);
    if (!util::IsValidSpoolId(entry.id))
        return;  // cannot name a file after it; it stays in its segment
    const std::string base = options_.dir + "/bad/" + entry.id;
    if (auto r = util::AtomicWriteFile(base + ".json", entry.metadata_json); !r) {
        spdlog::error("spool: cannot write {}.json: {}", base, r.error().detail);
    }
    if (entry.message) {
        if (auto r = util::AtomicWriteFile(base + ".eml", *entry.message); !r) {
            spdlog::error("spool: cannot write {}.eml: {}", base, r.error().detail);
        }
    }
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

}  // namespace rqwatch::quarantine
