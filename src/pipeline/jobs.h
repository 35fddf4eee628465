// The de-identification job queue and clip publication. A sampled recording
// becomes a job; a worker claims it (with a lease, so a crashed worker's job
// returns to the queue), runs the de-identification stages, and publishes the
// resulting clips. A clip is assignable to a reviewer only if every required
// stage passed: PublishClips creates review tasks for such clips only, and the
// review queue re-checks the flag at lease time.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/context.h"
#include "audio/pcm.h"
#include "ingest/metadata.h"
#include "pipeline/deid_chain.h"
#include "pipeline/stages.h"
#include "privacy/pii/known_identifiers.h"
#include "store/db.h"

namespace earshot::pipeline {

// Every stage a clip must pass before a reviewer may hear it (DESIGN.md
// invariant 4): all of pipeline/stages.h.
const StageSet& RequiredStages();

// The required stages missing from `passed` (empty: the clip may be assigned).
std::vector<Stage> MissingStages(const StageSet& passed);

// A job that fails or whose worker dies this many times is quarantined.
constexpr int64_t kMaxJobAttempts = 3;
// A failed attempt waits attempt × this before the job is claimed again.
constexpr int64_t kJobRetryBackoffMs = 5'000;

struct DeidJob {
  std::string id;
  std::string recording_id;
  int64_t attempts = 0;
};

// Queues a job for `recording_id` inside the caller's transaction.
Status EnqueueDeidJob(store::Tx& tx, Context& ctx, const std::string& recording_id);

// Claims the oldest queued job (or one whose worker lease expired) for
// `lease_ms`; nullopt if none. Race-free: of two claims of one job, one
// wins. A job whose lease expired on its last attempt (its worker vanished)
// is quarantined with failure class "lost" instead.
Result<std::optional<DeidJob>> ClaimNextJob(Context& ctx, int64_t lease_ms);

// The recording a job works on, decrypted in memory.
struct JobInput {
  audio::Pcm16 audio;
  ingest::RecordingMetadata meta;  // account left empty
  DeidSettings settings;           // from the recording's stream
  // The account (from the vault), serial and capture time, to be masked in
  // whatever the recording's words say (DESIGN.md invariant 3). Never logged.
  privacy::pii::KnownIdentifiers known;
};
Result<JobInput> LoadJobInput(Context& ctx, const DeidJob& job);

// A clip produced by the stages.
struct ClipDraft {
  audio::Pcm16 audio;
  std::string masked_text;  // the machine hypothesis with PII masked
  StageSet stages_passed;
  std::vector<audio::TimeRange> bleeps;  // ms from the clip's start (DeidClip::bleeps)
};

// Bleeped ranges as stored with a clip: "[[start_ms,end_ms],...]".
std::string BleepsJson(const std::vector<audio::TimeRange>& bleeps);

// Seals each clip that passed every required stage under its own key (wrapped
// by the subject's key), stores it and queues a review task for it — provided
// the recording is not being erased and the subject's human_review consent
// held at capture and still holds. Clips that missed a stage are not stored
// at all (counted in earshot_clips_withheld_total). Each clip's masked_text
// is checked once more before it is sealed, whichever stage made it: any
// identifier of the recording (account, serial, capture time) or id-like
// token left in it is masked (privacy::pii::MaskIdentifiers). Marks the job
// done (or dropped if nothing was queued). Conflict("job_lost") if this
// worker no longer owns the job (its lease expired and another worker
// claimed it, or it was dropped); then nothing is stored. Returns the number
// of tasks queued.
Result<int64_t> PublishClips(Context& ctx, const DeidJob& job, std::vector<ClipDraft> clips);

// Records a failed attempt: a stage failed, or the worker process running the
// job crashed or ran past its time or memory limit (recorded then by its
// supervisor). Nothing of the attempt reaches a reviewer. Before
// kMaxJobAttempts the job returns to the queue after a backoff; at the
// last attempt it is quarantined: never retried automatically, listed for
// admins by failure class only, erased with its recording. `failure_class`
// must be content-free (it is logged and counted). Conflict("job_lost") as
// above.
Status FailJob(Context& ctx, const DeidJob& job, const std::string& failure_class);

// Puts a running job back in the queue as if this attempt never happened
// (its worker was stopped with the server, through no fault of the job).
Status ReleaseJob(Context& ctx, const DeidJob& job);

struct QuarantinedJob {
  std::string id;
  std::string failure_class;  // e.g. "crash_sigsegv", "timeout", "out_of_memory"
  int64_t attempts = 0;
  int64_t quarantined_at_ms = 0;
};
// The quarantined jobs, newest first (at most 1000); no content, no subject.
Result<std::vector<QuarantinedJob>> ListQuarantinedJobs(Context& ctx);

// Queue depths by state (queued, running, done, dropped, quarantined).
Result<std::vector<std::pair<std::string, int64_t>>> JobCounts(Context& ctx);

}  // namespace earshot::pipeline
