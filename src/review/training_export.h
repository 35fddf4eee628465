// Training exports (issue 15, item 6): a stream's consolidated clips as a
// dataset a training pipeline reads, with only what consent allows.
//
// - Only clips whose subject holds the `training` consent at export time,
//   whose consensus rests on two or more independent reviews or a lead's
//   adjudication (review/consensus.h), and whose recording is still stored
//   and clip not purged by retention. The audio is the de-identified clip
//   (anonymized voice, bleeped personal data), never the raw recording; the
//   text is the masked consensus ("[pii]" where personal data was).
// - Each utterance gets an id of its own per export line,
//   "u<8-digit line number>_<20 random base32 characters>": the number
//   orders the Kaldi files, the random part makes ids unique across exports
//   and unguessable; neither derives from any clip, recording or subject id.
//   Nothing else identifying is written: no account, device serial, capture
//   time, clip id or reviewer pseudonym. Kaldi gets one pseudo-speaker per
//   utterance (its own id), so no two utterances are linked to one person.
// - Layouts: nemo (manifest.jsonl of {"audio_filepath", "duration", "text"},
//   audio/ID.wav), hf (an audiofolder: metadata.csv with file_name and
//   transcription, audio/ID.wav), kaldi (wav.scp, text, utt2spk, spk2utt,
//   audio/ID.wav). Every export writes tombstones.txt: the ids of every
//   utterance of an earlier export of the stream whose subject has since
//   erased it or withdrawn training consent; PruneExport deletes those from
//   an earlier export's copy.
// - The export is written to a hidden sibling folder (".NAME.partial-XXXX")
//   and renamed into place at the end: the rename is the commit point. A
//   failure or cancellation (checked before each utterance) removes it and
//   records nothing as exported. Clips are read a page at a time (bounded
//   memory). Each export is audited (training.export: who, stream, how
//   many) and listed for privacy officers (ListExports).
// - A running export beats a heartbeat into its row after each page. One
//   whose heartbeat is older than kStaleExportMs (the process was killed,
//   or its host died) is listed as "stalled" and swept at the start of the
//   next export (SweepStaleExports).
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "store/db.h"

namespace earshot::review {

enum class ExportFormat { kNemo, kHf, kKaldi };

// InvalidArgument("bad_format") unless nemo, hf or kaldi.
Result<ExportFormat> ParseExportFormat(const std::string& text);

struct ExportRequest {
  std::string stream;
  ExportFormat format = ExportFormat::kNemo;
  std::string out_dir;              // must not exist; its parent must
  std::optional<int64_t> since_ms;  // consensus last rebuilt at or after
  std::string actor;                // who asked (the audit actor)
};

struct ExportSummary {
  std::string export_id;
  int64_t utterances = 0;
  int64_t tombstones = 0;
  double audio_seconds = 0;
};

// Called after each utterance written (done, total).
using ExportProgress = std::function<void(int64_t done, int64_t total)>;

// NotFound("unknown_stream"); Conflict("out_exists") when out_dir exists;
// InvalidArgument("bad_out") when its parent is missing or not writable;
// Unavailable("export_cancelled") once *cancel turns true.
Result<ExportSummary> ExportTraining(Context& ctx, const ExportRequest& request,
                                     const ExportProgress& progress = nullptr,
                                     const std::atomic<bool>* cancel = nullptr);

// In the caller's transaction: cuts every exported utterance of the subject
// (or of the clips of the recording) from its clip and subject and marks it
// withdrawn, so the next export lists it in tombstones.txt.
enum class ExportScope { kSubject, kRecording };
Status WithdrawFromExports(store::Tx& tx, Context& ctx, ExportScope scope, const std::string& id);

// Deletes from the export in `dir` (any layout) every utterance whose id is
// a line of `tombstones_file`: its index lines and its audio. Index files
// are rewritten whole and renamed into place. Returns how many were removed.
// InvalidArgument("bad_export_dir") when `dir` holds no known layout.
Result<int64_t> PruneExport(const std::string& dir, const std::string& tombstones_file);

struct ExportRecord {
  std::string id, stream, format, actor, state;
  int64_t utterances = 0, tombstones = 0, created_at_ms = 0;
};

// Every export, newest first (for privacy officers); state is running,
// done, failed, or stalled (running, with no heartbeat for kStaleExportMs).
Result<std::vector<ExportRecord>> ListExports(Context& ctx);

constexpr int64_t kStaleExportMs = 10 * 60 * 1000;

// Settles every running export with no heartbeat for kStaleExportMs: one
// whose folder was moved into place (its out_dir exists on this host and
// its partial folder does not) crashed after its commit point and becomes
// done, audited as recovered; any other is failed, its partial folder
// removed where this host has it, and its utterances forgotten. Returns how
// many were settled. Called by ExportTraining before it starts.
Result<int64_t> SweepStaleExports(Context& ctx);

}  // namespace earshot::review
