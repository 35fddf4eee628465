#include "rights/export.h"

#include <algorithm>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "app/row_states.h"
#include "audio/decode.h"
#include "audit/audit_log.h"
#include "crypto/seal.h"
#include "rights/archive_stream.h"
#include "rights/export_html.h"
#include "rights/recording_access.h"
#include "rights/subject_data.h"
#include "rights/subjects.h"
#include "util/encoding.h"
#include "util/log.h"

namespace earshot::rights {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "earshot-export/2";

// A recording's row as one page read it, with its listens and annotations.
struct PageRow {
  std::string id;
  std::string stream;
  int64_t received_at = 0;
  int64_t duration_ms = 0;
  std::optional<std::string> blob_name;  // nullopt: retention deleted the audio
  std::string meta_sealed;
  json listens;
  json annotations;
};

// A whole file waiting to go into the archive.
struct Entry {
  std::string name;
  std::string bytes;
};

std::string Dump(const json& doc) {
  return doc.dump(2, ' ', false, json::error_handler_t::replace);
}

Result<json> ConsentHistoryJson(store::Tx& tx, const std::string& subject_id) {
  ASSIGN_OR_RETURN(auto events, tx.Query("SELECT purpose, granted, policy_version, source, at "
                                         "FROM consent_events WHERE subject_id = ? ORDER BY seq",
                                         {subject_id}));
  json out = json::array();
  for (const auto& e : events) {
    out.push_back({{"purpose", e.Text(0)},
                   {"granted", e.Int(1) != 0},
                   {"policy_version", e.Text(2)},
                   {"source", e.Text(3)},
                   {"at", FormatRfc3339(e.Int(4))}});
  }
  return out;
}

Result<json> TombstonesJson(store::Tx& tx, const std::string& subject_id) {
  ASSIGN_OR_RETURN(auto tombs, tx.Query("SELECT recording_id, erased_at FROM tombstones "
                                        "WHERE subject_id = ? ORDER BY erased_at",
                                        {subject_id}));
  json out = json::array();
  for (const auto& t : tombs) {
    out.push_back({{"recording_id", t.Text(0)}, {"erased_at", FormatRfc3339(t.Int(1))}});
  }
  return out;
}

// data.json: what is held about the subject apart from the recordings.
Result<json> SubjectDataJson(store::Tx& tx, const std::string& subject_id, const std::string& key,
                             int64_t now_ms) {
  ASSIGN_OR_RETURN(auto acct, store::QueryOne(tx,
                                              "SELECT account_sealed FROM vault_accounts "
                                              "WHERE subject_id = ?",
                                              {subject_id}, "account"));
  ASSIGN_OR_RETURN(std::string account,
                   crypto::OpenText(key, acct.Text(0), "account:" + subject_id));
  ASSIGN_OR_RETURN(auto subj, store::QueryOne(tx, "SELECT retention FROM subjects WHERE id = ?",
                                              {subject_id}, "subject"));
  json doc = {{"format", kFormat},
              {"exported_at", FormatRfc3339(now_ms)},
              {"account", account},
              {"retention", subj.IsNull(0) ? json(nullptr) : json(subj.Text(0))},
              {"layout",
               {{"recordings", "recordings/<id>.json"},
                {"audio", "recordings/<id>.wav"},
                {"summary", "summary.json (last; without it the archive was cut short)"}}}};
  ASSIGN_OR_RETURN(doc["consent_history"], ConsentHistoryJson(tx, subject_id));
  ASSIGN_OR_RETURN(doc["tombstones"], TombstonesJson(tx, subject_id));
  return doc;
}

// The page's recordings are the subject's with ids in (after_id, last_id]:
// listens and annotations are read for all of them at once, by id.
constexpr const char* kPageScope = "r.subject_id = ? AND r.id > ? AND r.id <= ?";

// Listens as shown to the subject, by recording id.
Result<std::map<std::string, json>> PageListens(store::Tx& tx, const store::Params& scope) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT l.recording_id, l.reviewer_pseudonym, "
                                                   "l.at, l.purpose FROM listens l JOIN "
                                                   "recordings r ON r.id = l.recording_id "
                                                   "WHERE ") +
                                           kPageScope + " ORDER BY l.recording_id, l.at",
                                       scope));
  std::map<std::string, std::vector<Listen>> listens;
  for (const auto& r : rows) listens[r.Text(0)].push_back({r.Text(1), r.Int(2), r.Text(3)});
  std::map<std::string, json> out;
  for (const auto& [id, l] : listens) out[id] = ListensJson(l);
  return out;
}

// Reviewers' annotations of the recordings' clips, decrypted, by recording id.
Result<std::map<std::string, json>> PageAnnotations(store::Tx& tx, const std::string& key,
                                                    const store::Params& scope) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query(std::string("SELECT c.recording_id, a.id, a.transcript_sealed, "
                                        "a.intended, a.heard_accurately, "
                                        "a.responded_appropriately, a.flags, a.created_at FROM "
                                        "annotations a JOIN clips c ON c.id = a.clip_id JOIN "
                                        "recordings r ON r.id = c.recording_id WHERE ") +
                                kPageScope + " ORDER BY c.recording_id, a.created_at",
                            scope));
  auto tri = [](const store::Row& r, size_t i) -> json {
    return r.IsNull(i) ? json(nullptr) : json(r.Int(i) != 0);
  };
  std::map<std::string, json> out;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(std::string transcript,
                     crypto::OpenText(key, r.Text(2), "anntext:" + r.Text(1)));
    json& list = out[r.Text(0)];
    if (list.is_null()) list = json::array();
    list.push_back({{"transcript", transcript},
                    {"intended", tri(r, 3)},
                    {"heard_accurately", tri(r, 4)},
                    {"responded_appropriately", tri(r, 5)},
                    {"flags", r.Text(6)},
                    {"at", FormatRfc3339(r.Int(7))}});
  }
  return out;
}

json Take(std::map<std::string, json>& by_id, const std::string& id) {
  auto it = by_id.find(id);
  return it == by_id.end() ? json::array() : std::move(it->second);
}

// Up to `limit` of the subject's recordings with ids after `after_id`, in id
// order (keyset pagination on the (subject_id, id) index), with their
// listens and annotations: three queries a page.
Result<std::vector<PageRow>> ReadPage(store::Tx& tx, const std::string& subject_id,
                                      const std::string& key, const std::string& after_id,
                                      int64_t limit) {
  ASSIGN_OR_RETURN(auto recs,
                   tx.Query("SELECT r.id, s.name, r.received_at, r.duration_ms, "
                            "r.blob_name, r.meta_sealed FROM recordings r JOIN "
                            "streams s ON s.id = r.stream_id WHERE r.subject_id = ? "
                            "AND r.state <> ? AND r.id > ? ORDER BY r.id "
                            "LIMIT ?",
                            {subject_id, Sql(RecordingState::kErasing), after_id, limit}));
  if (recs.empty()) return std::vector<PageRow>();
  const store::Params scope = {subject_id, after_id, recs.back().Text(0)};
  ASSIGN_OR_RETURN(auto listens, PageListens(tx, scope));
  ASSIGN_OR_RETURN(auto annotations, PageAnnotations(tx, key, scope));
  std::vector<PageRow> out;
  out.reserve(recs.size());
  for (const auto& r : recs) {
    PageRow row{r.Text(0), r.Text(1), r.Int(2), r.Int(3), std::nullopt, r.Text(5), {}, {}};
    if (!r.IsNull(4)) row.blob_name = r.Text(4);
    row.listens = Take(listens, row.id);
    row.annotations = Take(annotations, row.id);
    out.push_back(std::move(row));
  }
  return out;
}

// What became of a recording whose audio could not be read.
enum class Fate { kErased, kAudioDeleted, kPresent };

Result<Fate> FateOf(Context& ctx, const std::string& recording_id) {
  Fate fate = Fate::kPresent;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    fate = Fate::kPresent;  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT state, blob_name FROM recordings WHERE id = ?",
                                         {recording_id}));
    if (rows.empty() || rows[0].Text(0) == "erasing") {
      fate = Fate::kErased;
    } else if (rows[0].IsNull(1)) {
      fate = Fate::kAudioDeleted;
    }
    return Status::Ok();
  }));
  return fate;
}

class ArchiveExport final : public ExportStream {
 public:
  ArchiveExport(Context& ctx, std::string subject_id, std::string key, int64_t now_ms,
                std::unique_ptr<ArchiveStream> tar, json data)
      : ctx_(ctx),
        subject_id_(std::move(subject_id)),
        key_(std::move(key)),
        mtime_s_(now_ms / 1000),
        tar_(std::move(tar)),
        data_(std::move(data)) {
    entries_.push_back({"data.json", Dump(data_)});
  }

  Result<bool> Next(std::string& chunk) override;
  size_t peak_buffered_bytes() const override { return peak_buffered_; }
  Counts counts() const override { return counts_; }

 private:
  Status Step();
  Status WriteSome();
  Status ReadNextPage();
  Status LoadRecording(const PageRow& row);
  Result<std::string> RecordingWav(const PageRow& row, bool* erased);
  void QueuePage();
  void QueueSummary();

  Context& ctx_;
  const std::string subject_id_;
  const std::string key_;  // the subject's data key
  const int64_t mtime_s_;
  std::unique_ptr<ArchiveStream> tar_;
  std::deque<Entry> entries_;  // the first may be written in part
  bool header_written_ = false;
  size_t written_ = 0;  // bytes of entries_.front() written
  std::deque<PageRow> page_;
  const json data_;                     // data.json's document, for index.html
  std::vector<std::string> page_html_;  // the rows of the page being read
  int pages_ = 0;                       // HTML pages written
  std::string last_id_;                 // keyset: the last recording id read
  bool rows_done_ = false;
  bool summary_queued_ = false;
  bool closed_ = false;
  bool failed_ = false;
  size_t peak_buffered_ = 0;
  Counts counts_;
};

Result<bool> ArchiveExport::Next(std::string& chunk) {
  chunk.clear();
  if (failed_) return Internal("export_failed", "this export already failed");
  while (!closed_ && tar_->buffered() < kChunkBytes) {
    Status st = Step();
    if (!st.ok()) {
      failed_ = true;
      ctx_.metrics().Add("earshot_export_failures_total");
      return st;
    }
  }
  peak_buffered_ = std::max(peak_buffered_, tar_->buffered());
  chunk = tar_->Take();
  return !closed_;
}

// One bounded piece of work: part of an entry, one recording, one page.
Status ArchiveExport::Step() {
  if (!entries_.empty()) return WriteSome();
  if (!page_.empty()) {
    const PageRow row = std::move(page_.front());
    page_.pop_front();
    RETURN_IF_ERROR(LoadRecording(row));
    if (page_.empty()) QueuePage();
    return Status::Ok();
  }
  if (!rows_done_) return ReadNextPage();
  if (!summary_queued_) {
    QueueSummary();
    return Status::Ok();
  }
  RETURN_IF_ERROR(tar_->Close());
  closed_ = true;
  LogInfo("export_finished",
          {{"recordings", std::to_string(counts_.recordings)},
           {"audio_files", std::to_string(counts_.audio_files)},
           {"erased_during_export", std::to_string(counts_.erased_during_export)}});
  return Status::Ok();
}

// Writes the front entry's header and as much of its data as keeps the
// buffer at kChunkBytes.
Status ArchiveExport::WriteSome() {
  const Entry& e = entries_.front();
  if (!header_written_) {
    RETURN_IF_ERROR(tar_->BeginEntry(e.name, static_cast<int64_t>(e.bytes.size()), mtime_s_));
    header_written_ = true;
  }
  const size_t room = kChunkBytes - std::min(kChunkBytes, tar_->buffered());
  const size_t n = std::min(room, e.bytes.size() - written_);
  RETURN_IF_ERROR(tar_->Write(std::string_view(e.bytes).substr(written_, n)));
  written_ += n;
  if (written_ == e.bytes.size()) {
    entries_.pop_front();
    header_written_ = false;
    written_ = 0;
  }
  return Status::Ok();
}

Status ArchiveExport::ReadNextPage() {
  std::vector<PageRow> rows;
  RETURN_IF_ERROR(ctx_.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(rows, ReadPage(tx, subject_id_, key_, last_id_, kPageSize));
    return Status::Ok();
  }));
  rows_done_ = static_cast<int64_t>(rows.size()) < kPageSize;
  if (!rows.empty()) last_id_ = rows.back().id;
  for (auto& r : rows) page_.push_back(std::move(r));
  return Status::Ok();
}

// The recording's audio as WAV; "" when retention deleted it meanwhile, or
// *erased when the recording's erasure began after its page was read.
Result<std::string> ArchiveExport::RecordingWav(const PageRow& row, bool* erased) {
  if (!row.blob_name) return std::string();
  auto pcm = OpenRecordingAudio(ctx_, key_, row.id, *row.blob_name);
  if (pcm.ok()) return audio::EncodeWav(*pcm);
  ASSIGN_OR_RETURN(Fate fate, FateOf(ctx_, row.id));
  if (fate == Fate::kPresent) return pcm.status();
  *erased = fate == Fate::kErased;
  return std::string();
}

// Queues the recording's two files, once everything of it has been read.
Status ArchiveExport::LoadRecording(const PageRow& row) {
  bool erased = false;
  ASSIGN_OR_RETURN(std::string wav, RecordingWav(row, &erased));
  if (erased) {
    ++counts_.erased_during_export;
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(std::string meta, crypto::OpenText(key_, row.meta_sealed, "meta:" + row.id));
  json entry = json::parse(meta, nullptr, false);
  if (!entry.is_object()) return Corruption("bad_metadata", "a recording's metadata is not JSON");
  const std::string base = "recordings/" + row.id;
  entry["id"] = row.id;
  entry["stream"] = row.stream;
  entry["received_at"] = FormatRfc3339(row.received_at);
  entry["duration_ms"] = row.duration_ms;
  entry["listens"] = row.listens;
  entry["annotations"] = row.annotations;
  entry["audio_file"] = wav.empty() ? json(nullptr) : json(base + ".wav");
  page_html_.push_back(ExportRecordingRow(entry));
  entries_.push_back({base + ".json", Dump(entry)});
  ++counts_.recordings;
  if (!wav.empty()) {
    entries_.push_back({base + ".wav", std::move(wav)});
    ++counts_.audio_files;
  }
  return Status::Ok();
}

// The page of the recordings just loaded, as HTML, once all of them are in.
void ArchiveExport::QueuePage() {
  if (page_html_.empty()) return;
  ++pages_;
  entries_.push_back({ExportPageName(pages_), ExportPage(pages_, page_html_)});
  page_html_.clear();
}

void ArchiveExport::QueueSummary() {
  entries_.push_back(
      {"index.html", ExportIndex(data_, pages_, counts_.recordings, counts_.audio_files)});
  const json summary = {{"format", kFormat},
                        {"complete", true},
                        {"recordings", counts_.recordings},
                        {"audio_files", counts_.audio_files},
                        {"erased_during_export", counts_.erased_during_export}};
  entries_.push_back({"summary.json", Dump(summary)});
  summary_queued_ = true;
}

}  // namespace

Result<std::unique_ptr<ExportStream>> StartExport(Context& ctx, const std::string& subject_id,
                                                  ArchiveFormat format) {
  const int64_t now = ctx.clock().NowMs();
  std::string key;
  json data;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(key, SubjectKey(tx, ctx, subject_id));
    ASSIGN_OR_RETURN(data, SubjectDataJson(tx, subject_id, key, now));
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(auto tar, ArchiveStream::Create(format));
  // Audited before any byte leaves: an export cut short was still an access.
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) {
    return audit::Append(tx, ctx, "subject", "subject.export", subject_id);
  }));
  ctx.metrics().Add("earshot_exports_total");
  return std::unique_ptr<ExportStream>(
      new ArchiveExport(ctx, subject_id, std::move(key), now, std::move(tar), std::move(data)));
}

}  // namespace earshot::rights
