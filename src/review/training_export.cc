#include "review/training_export.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "app/row_states.h"
#include "audio/decode.h"
#include "audit/audit_log.h"
#include "crypto/clip_keys.h"
#include "crypto/seal.h"
#include "ingest/streams.h"
#include "review/consensus.h"
#include "rights/subjects.h"
#include "util/encoding.h"

namespace earshot::review {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kPage = 100;
// training_exports.state: running until the folder is in place, then done;
// failed when it was removed.
constexpr const char* kRunning = "running";
constexpr const char* kDone = "done";
constexpr const char* kFailed = "failed";
// Shown, never stored: running with no heartbeat for kStaleExportMs.
constexpr const char* kStalled = "stalled";
constexpr const char* kFormats[] = {"nemo", "hf", "kaldi"};

std::string FormatName(ExportFormat f) {
  return kFormats[static_cast<int>(f)];
}

// "u00000001_" and 20 random base32 characters (100 bits).
std::string UtteranceId(Random& rng, int64_t line) {
  uint8_t bytes[13];
  rng.Fill(bytes, sizeof bytes);
  char number[32];
  std::snprintf(number, sizeof number, "u%08lld_", static_cast<long long>(line));
  return number + Base32Lower(bytes, sizeof bytes).substr(0, 20);
}

// A CSV field, quoted (RFC 4180).
std::string CsvField(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The index files of one layout, written line by line.
class Writer {
 public:
  // Writes into `dir`; Kaldi's wav.scp names the audio where it will be,
  // under `final_dir`.
  Writer(ExportFormat format, const fs::path& dir, const fs::path& final_dir)
      : format_(format), final_dir_(final_dir) {
    auto open = [&](const char* name) {
      files_.emplace_back(dir / name, std::ios::binary);
      return files_.size() - 1;
    };
    if (format == ExportFormat::kNemo) {
      open("manifest.jsonl");
    } else if (format == ExportFormat::kHf) {
      open("metadata.csv");
      files_[0] << "file_name,transcription\n";
    } else {
      for (const char* f : {"wav.scp", "text", "utt2spk", "spk2utt"}) open(f);
    }
  }
  void Add(const std::string& id, const std::string& text, double seconds) {
    const std::string audio = "audio/" + id + ".wav";
    if (format_ == ExportFormat::kNemo) {
      files_[0]
          << nlohmann::json{{"audio_filepath", audio}, {"duration", seconds}, {"text", text}}.dump()
          << "\n";
    } else if (format_ == ExportFormat::kHf) {
      files_[0] << CsvField(audio) << "," << CsvField(text) << "\n";
    } else {
      files_[0] << id << " " << (final_dir_ / audio).string() << "\n";
      files_[1] << id << " " << text << "\n";
      files_[2] << id << " " << id << "\n";
      files_[3] << id << " " << id << "\n";
    }
  }
  Status Close() {
    for (auto& f : files_) {
      f.close();
      if (!f) return Internal("export_write_failed", "could not write the export's index files");
    }
    return Status::Ok();
  }

 private:
  ExportFormat format_;
  fs::path final_dir_;
  std::vector<std::ofstream> files_;
};

struct Eligible {
  std::string clip_id, subject_id, wrapped_key, blob_name, consensus_sealed;
};

// The conditions a clip must meet to be exported now (see the header).
constexpr const char* kEligible =
    " FROM consensus k JOIN clips c ON c.id = k.clip_id "
    "JOIN recordings r ON r.id = c.recording_id AND r.state = ? "
    "JOIN subjects sub ON sub.id = c.subject_id AND sub.wrapped_key <> '' "
    "JOIN consents g ON g.subject_id = c.subject_id AND g.purpose = ? AND g.granted = 1 "
    "WHERE c.stream_id = ? AND c.blob_name IS NOT NULL AND c.deidentified = 1 "
    "AND (k.reviews >= 2 OR k.adjudicated = 1) AND k.updated_at >= ?";

store::Params EligibleParams(const std::string& stream_id, int64_t since) {
  return {Sql(RecordingState::kStored), rights::PurposeName(rights::Purpose::kTraining), stream_id,
          since};
}

}  // namespace

Result<ExportFormat> ParseExportFormat(const std::string& text) {
  for (int i = 0; i < 3; ++i) {
    if (text == kFormats[i]) return static_cast<ExportFormat>(i);
  }
  return InvalidArgument("bad_format", "format must be nemo, hf or kaldi");
}

Result<ExportSummary> ExportTraining(Context& ctx, const ExportRequest& request,
                                     const ExportProgress& progress,
                                     const std::atomic<bool>* cancel) {
  const fs::path out = fs::absolute(request.out_dir).lexically_normal();
  std::error_code ec;
  if (fs::exists(out, ec)) {
    return Conflict("out_exists", out.string() + " exists; an export writes a new folder");
  }
  const fs::path parent = out.parent_path();
  if (!fs::is_directory(parent, ec) || access(parent.c_str(), W_OK) != 0) {
    return InvalidArgument("bad_out", parent.string() + " is not a folder this user can write");
  }
  RETURN_IF_ERROR(SweepStaleExports(ctx).status());
  ExportSummary summary;
  summary.export_id = NewId(ctx.rng(), "exp");
  const fs::path partial =
      parent / ("." + out.filename().string() + ".partial-" + summary.export_id.substr(4, 8));
  const int64_t since = request.since_ms.value_or(0);
  std::string stream_id;
  int64_t total = 0;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(ingest::Stream stream, ingest::FindStreamByName(tx, request.stream));
    stream_id = stream.id;
    ASSIGN_OR_RETURN(auto count, tx.Query(std::string("SELECT COUNT(*)") + kEligible,
                                          EligibleParams(stream_id, since)));
    total = count[0].Int(0);
    const int64_t now = ctx.clock().NowMs();
    return tx
        .Exec(
            "INSERT INTO training_exports (id, stream_id, format, actor, since_ms, utterances, "
            "tombstones, state, created_at, heartbeat_at, out_dir, partial_dir) VALUES (?, ?, ?, "
            "?, ?, 0, 0, ?, ?, ?, ?, ?)",
            {summary.export_id, stream_id, FormatName(request.format), request.actor,
             request.since_ms ? store::Value(*request.since_ms) : store::Null(), kRunning, now, now,
             out.string(), partial.string()})
        .status();
  }));
  auto fail = [&](Status st) -> Status {
    fs::remove_all(partial, ec);
    (void)ctx.db().Write([&](store::Tx& tx) -> Status {
      RETURN_IF_ERROR(
          tx.Exec("DELETE FROM exported_utterances WHERE export_id = ?", {summary.export_id})
              .status());
      return tx
          .Exec("UPDATE training_exports SET state = ? WHERE id = ?", {kFailed, summary.export_id})
          .status();
    });
    return st;
  };
  if (!fs::create_directories(partial / "audio", ec)) {
    return fail(InvalidArgument("bad_out", "could not create " + partial.string()));
  }
  Writer writer(request.format, partial, out);
  std::string cursor;
  int64_t line = 0;
  for (;;) {
    if (cancel && cancel->load()) {
      return fail(Unavailable("export_cancelled", "the export was cancelled; nothing was kept"));
    }
    std::vector<Eligible> page;
    std::map<std::string, std::string> keys;  // subject id -> subject key
    Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
      page.clear();
      store::Params params = EligibleParams(stream_id, since);
      params.push_back(cursor);
      params.push_back(kPage);
      ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT c.id, c.subject_id, c.wrapped_key, "
                                                       "c.blob_name, k.transcript_sealed") +
                                               kEligible + " AND c.id > ? ORDER BY c.id LIMIT ?",
                                           params));
      for (const auto& r : rows) {
        page.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4)});
        if (!keys.count(r.Text(1))) {
          ASSIGN_OR_RETURN(keys[r.Text(1)], rights::SubjectKey(tx, ctx, r.Text(1)));
        }
      }
      return Status::Ok();
    });
    if (!st.ok()) return fail(st);
    if (page.empty()) break;
    cursor = page.back().clip_id;
    std::vector<std::pair<std::string, const Eligible*>> written;
    for (const auto& e : page) {
      if (cancel && cancel->load()) {
        return fail(Unavailable("export_cancelled", "the export was cancelled; nothing was kept"));
      }
      const std::string& subject_key = keys[e.subject_id];
      auto text = OpenConsensusText(subject_key, e.clip_id, e.consensus_sealed);
      auto clip_key = crypto::UnwrapClipKey(subject_key, e.wrapped_key, e.clip_id);
      if (!text.ok() || !clip_key.ok()) return fail(Corruption("bad_clip", "a clip did not open"));
      if (text->empty()) continue;  // no words: nothing to train on
      auto sealed = ctx.blobs().Get(e.blob_name);
      if (!sealed.ok()) continue;  // purged since the page was read
      auto bytes = crypto::OpenClipAudio(*clip_key, *sealed, e.clip_id);
      if (!bytes.ok()) return fail(bytes.status());
      const audio::Pcm16 pcm = audio::PcmFromBytes(*bytes);
      const std::string id = UtteranceId(ctx.rng(), ++line);
      std::ofstream wav(partial / "audio" / (id + ".wav"), std::ios::binary);
      const std::string encoded = audio::EncodeWav(pcm);
      wav.write(encoded.data(), static_cast<std::streamsize>(encoded.size()));
      wav.close();
      if (!wav) return fail(Internal("export_write_failed", "could not write " + id + ".wav"));
      const double seconds = static_cast<double>(pcm.samples.size()) / pcm.sample_rate;
      writer.Add(id, *text, seconds);
      summary.audio_seconds += seconds;
      written.emplace_back(id, &e);
      ++summary.utterances;
      if (progress) progress(summary.utterances, total);
    }
    st = ctx.db().Write([&](store::Tx& tx) -> Status {
      for (const auto& [id, e] : written) {
        RETURN_IF_ERROR(tx.Exec("INSERT INTO exported_utterances (utt_id, export_id, stream_id, "
                                "clip_id, subject_id, withdrawn_at) VALUES (?, ?, ?, ?, ?, NULL)",
                                {id, summary.export_id, stream_id, e->clip_id, e->subject_id})
                            .status());
      }
      return tx
          .Exec("UPDATE training_exports SET heartbeat_at = ? WHERE id = ?",
                {ctx.clock().NowMs(), summary.export_id})
          .status();
    });
    if (!st.ok()) return fail(st);
  }
  Status st = writer.Close();
  if (!st.ok()) return fail(st);
  // Earlier exports' utterances that must go (done exports only).
  std::vector<std::string> tombstones;
  st = ctx.db().Read([&](store::Tx& tx) -> Status {
    tombstones.clear();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT u.utt_id FROM exported_utterances u JOIN "
                                         "training_exports x ON x.id = u.export_id WHERE "
                                         "u.stream_id = ? AND u.withdrawn_at IS NOT NULL AND "
                                         "x.state = ? ORDER BY u.utt_id",
                                         {stream_id, kDone}));
    for (const auto& r : rows) tombstones.push_back(r.Text(0));
    return Status::Ok();
  });
  if (!st.ok()) return fail(st);
  {
    std::ofstream t(partial / "tombstones.txt", std::ios::binary);
    for (const auto& id : tombstones) t << id << "\n";
    t.close();
    if (!t) return fail(Internal("export_write_failed", "could not write tombstones.txt"));
  }
  summary.tombstones = static_cast<int64_t>(tombstones.size());
  if (cancel && cancel->load()) {
    return fail(Unavailable("export_cancelled", "the export was cancelled; nothing was kept"));
  }
  fs::rename(partial, out, ec);
  if (ec) return fail(Internal("export_write_failed", "could not move the export into place"));
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("UPDATE training_exports SET state = ?, utterances = ?, "
                            "tombstones = ? WHERE id = ?",
                            {kDone, summary.utterances, summary.tombstones, summary.export_id})
                        .status());
    return audit::Append(tx, ctx, request.actor, "training.export", summary.export_id,
                         "stream=" + request.stream + " format=" + FormatName(request.format) +
                             " utterances=" + std::to_string(summary.utterances));
  }));
  return summary;
}

Status WithdrawFromExports(store::Tx& tx, Context& ctx, ExportScope scope, const std::string& id) {
  const std::string where = scope == ExportScope::kSubject
                                ? "subject_id = ?"
                                : "clip_id IN (SELECT id FROM clips WHERE recording_id = ?)";
  return tx
      .Exec(
          "UPDATE exported_utterances SET clip_id = NULL, subject_id = NULL, withdrawn_at = ? "
          "WHERE withdrawn_at IS NULL AND " +
              where,
          {ctx.clock().NowMs(), id})
      .status();
}

Result<int64_t> PruneExport(const std::string& dir, const std::string& tombstones_file) {
  std::ifstream in(tombstones_file);
  if (!in) return InvalidArgument("bad_tombstones", "cannot read " + tombstones_file);
  std::set<std::string> gone;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) gone.insert(l);
  }
  const fs::path root(dir);
  // The id an index line is about: the first token, or the audio file name.
  auto id_of = [](const std::string& line) -> std::string {
    const size_t a = line.find("audio/");
    if (a != std::string::npos) {
      const size_t e = line.find(".wav", a);
      if (e != std::string::npos) return line.substr(a + 6, e - a - 6);
    }
    return line.substr(0, line.find(' '));
  };
  std::vector<std::string> files;
  for (const char* f :
       {"manifest.jsonl", "metadata.csv", "wav.scp", "text", "utt2spk", "spk2utt"}) {
    if (fs::exists(root / f)) files.push_back(f);
  }
  if (files.empty()) {
    return InvalidArgument("bad_export_dir", dir + " holds no nemo, hf or kaldi export");
  }
  for (const auto& f : files) {
    std::ifstream src(root / f, std::ios::binary);
    const fs::path tmp = root / (f + ".pruning");
    std::ofstream dst(tmp, std::ios::binary);
    for (std::string line; std::getline(src, line);) {
      if (!gone.count(id_of(line))) dst << line << "\n";
    }
    dst.close();
    if (!dst) return Internal("prune_failed", "could not rewrite " + f);
    std::error_code ec;
    fs::rename(tmp, root / f, ec);
    if (ec) return Internal("prune_failed", "could not replace " + f);
  }
  int64_t removed = 0;
  for (const auto& id : gone) {
    std::error_code ec;
    if (fs::remove(root / "audio" / (id + ".wav"), ec)) ++removed;
  }
  return removed;
}

Result<int64_t> SweepStaleExports(Context& ctx) {
  struct Stale {
    std::string id, stream, format, actor, out_dir, partial_dir;
  };
  std::vector<Stale> stale;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    stale.clear();
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT x.id, s.name, x.format, x.actor, x.out_dir, x.partial_dir "
                              "FROM training_exports x JOIN streams s ON s.id = x.stream_id WHERE "
                              "x.state = ? AND x.heartbeat_at < ? ORDER BY x.id",
                              {kRunning, ctx.clock().NowMs() - kStaleExportMs}));
    for (const auto& r : rows) {
      stale.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
    }
    return Status::Ok();
  }));
  for (const auto& s : stale) {
    std::error_code ec;
    const bool in_place = !s.out_dir.empty() && fs::is_directory(s.out_dir, ec) &&
                          !s.partial_dir.empty() && !fs::exists(s.partial_dir, ec);
    if (!in_place && !s.partial_dir.empty()) fs::remove_all(s.partial_dir, ec);
    RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
      // Settled by another sweep meanwhile: nothing to do.
      ASSIGN_OR_RETURN(auto still, tx.Query("SELECT 1 FROM training_exports WHERE id = ? AND "
                                            "state = ?",
                                            {s.id, kRunning}));
      if (still.empty()) return Status::Ok();
      if (!in_place) {
        RETURN_IF_ERROR(
            tx.Exec("DELETE FROM exported_utterances WHERE export_id = ?", {s.id}).status());
        return tx.Exec("UPDATE training_exports SET state = ? WHERE id = ?", {kFailed, s.id})
            .status();
      }
      // The folder was moved into place: its utterances were delivered and
      // must be tombstoned like any other's when their subjects take them back.
      ASSIGN_OR_RETURN(auto n, tx.Query("SELECT COUNT(*) FROM exported_utterances WHERE "
                                        "export_id = ?",
                                        {s.id}));
      RETURN_IF_ERROR(tx.Exec("UPDATE training_exports SET state = ?, utterances = ? WHERE id = ?",
                              {kDone, n[0].Int(0), s.id})
                          .status());
      return audit::Append(tx, ctx, s.actor, "training.export", s.id,
                           "stream=" + s.stream + " format=" + s.format +
                               " utterances=" + std::to_string(n[0].Int(0)) + " recovered");
    }));
  }
  return static_cast<int64_t>(stale.size());
}

Result<std::vector<ExportRecord>> ListExports(Context& ctx) {
  std::vector<ExportRecord> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT x.id, s.name, x.format, x.actor, x.state, x.utterances, "
                              "x.tombstones, x.created_at, x.heartbeat_at FROM training_exports x "
                              "JOIN streams s ON s.id = x.stream_id ORDER BY x.created_at DESC, "
                              "x.id",
                              {}));
    const int64_t stale_before = ctx.clock().NowMs() - kStaleExportMs;
    for (const auto& r : rows) {
      const bool stalled = r.Text(4) == kRunning && r.Int(8) < stale_before;
      out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), stalled ? kStalled : r.Text(4),
                     r.Int(5), r.Int(6), r.Int(7)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace earshot::review
