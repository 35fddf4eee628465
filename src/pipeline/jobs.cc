#include "pipeline/jobs.h"

#include <algorithm>
#include <iterator>

#include "app/row_states.h"
#include "crypto/clip_keys.h"
#include "crypto/seal.h"
#include "ingest/streams.h"
#include "review/double_review.h"
#include "rights/recording_access.h"
#include "rights/subjects.h"
#include "store/claim.h"
#include "util/encoding.h"
#include "util/log.h"

namespace earshot::pipeline {

const StageSet& RequiredStages() {
  static const StageSet kRequired = [] {
    StageSet all;
    for (const EnumName<Stage>& s : kStages) all.insert(s.value);
    return all;
  }();
  return kRequired;
}

std::vector<Stage> MissingStages(const StageSet& passed) {
  std::vector<Stage> missing;
  std::set_difference(RequiredStages().begin(), RequiredStages().end(), passed.begin(),
                      passed.end(), std::back_inserter(missing));
  return missing;
}

Status EnqueueDeidJob(store::Tx& tx, Context& ctx, const std::string& recording_id) {
  const int64_t now = ctx.clock().NowMs();
  return tx
      .Exec(
          "INSERT INTO deid_jobs (id, recording_id, state, attempts, lease_until, created_at, "
          "updated_at) VALUES (?, ?, ?, 0, 0, ?, ?)",
          {NewId(ctx.rng(), "job"), recording_id, Sql(JobState::kQueued), now, now})
      .status();
}

Result<std::optional<DeidJob>> ClaimNextJob(Context& ctx, int64_t lease_ms) {
  std::optional<DeidJob> job;
  int64_t lost = 0;
  Status st = ctx.db().Write([&](store::Tx& tx) -> Status {
    job.reset();
    const int64_t now = ctx.clock().NowMs();
    // A job whose worker vanished on its last attempt (killed, crashed with
    // nobody watching) is not handed out again.
    ASSIGN_OR_RETURN(lost, tx.Exec("UPDATE deid_jobs SET state = ?, failure_class = 'lost', "
                                   "updated_at = ? WHERE state = ? AND lease_until < ? AND "
                                   "attempts >= ?",
                                   {Sql(JobState::kQuarantined), now, Sql(JobState::kRunning), now,
                                    kMaxJobAttempts}));
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, recording_id, attempts FROM deid_jobs WHERE "
                                         "state IN (?, ?) AND lease_until < ? "
                                         // Fresh jobs (lease_until 0) before retries.
                                         "ORDER BY lease_until, created_at LIMIT 1" +
                                             store::ForClaim(tx, ""),
                                         {Sql(JobState::kQueued), Sql(JobState::kRunning), now}));
    if (rows.empty()) return Status::Ok();
    const int64_t seen_attempts = rows[0].Int(2);
    // Guarded by the state and attempt seen: two workers racing for one job
    // cannot both win it (the loser changes no row and claims nothing).
    ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec("UPDATE deid_jobs SET state = ?, attempts = ?, lease_until = ?, "
                "updated_at = ? WHERE id = ? AND attempts = ? AND state IN (?, ?) AND "
                "lease_until < ?",
                {Sql(JobState::kRunning), seen_attempts + 1, now + lease_ms, now, rows[0].Text(0),
                 seen_attempts, Sql(JobState::kQueued), Sql(JobState::kRunning), now}));
    RETURN_IF_ERROR(store::ClaimedOne(changed));  // lost: re-run for the next job
    job = DeidJob{rows[0].Text(0), rows[0].Text(1), seen_attempts + 1};
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  if (lost > 0) ctx.metrics().Add("earshot_deid_quarantined_total", lost, "class", "lost");
  return job;
}

namespace {

// The subject's account id, from the vault.
Result<std::string> OpenAccount(store::Tx& tx, const std::string& subject_id,
                                const std::string& subject_key) {
  ASSIGN_OR_RETURN(auto row, store::QueryOne(tx,
                                             "SELECT account_sealed FROM vault_accounts "
                                             "WHERE subject_id = ?",
                                             {subject_id}, "account"));
  return crypto::OpenText(subject_key, row.Text(0), "account:" + subject_id);
}

privacy::pii::KnownIdentifiers IdentifiersOf(const ingest::RecordingMetadata& meta,
                                             std::string account) {
  privacy::pii::KnownIdentifiers known;
  known.account = std::move(account);
  known.device_serial = meta.device_serial;
  known.has_capture_time = true;
  known.captured_at_ms = meta.captured_at_ms;
  known.utc_offset_min = meta.captured_utc_offset_min;
  return known;
}

// The identifiers the server holds for a recording of `subject_id`.
Result<privacy::pii::KnownIdentifiers> LoadKnownIdentifiers(store::Tx& tx,
                                                            const std::string& recording_id,
                                                            const std::string& subject_id,
                                                            const std::string& subject_key) {
  ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, "SELECT meta_sealed FROM recordings WHERE id = ?",
                                             {recording_id}, "recording"));
  ASSIGN_OR_RETURN(std::string meta_json,
                   crypto::OpenText(subject_key, row.Text(0), "meta:" + recording_id));
  ASSIGN_OR_RETURN(ingest::RecordingMetadata meta, ingest::ParseSealedMetadata(meta_json));
  ASSIGN_OR_RETURN(std::string account, OpenAccount(tx, subject_id, subject_key));
  return IdentifiersOf(meta, std::move(account));
}

}  // namespace

Result<JobInput> LoadJobInput(Context& ctx, const DeidJob& job) {
  JobInput in;
  std::string key, blob_name, meta_sealed, account;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, store::QueryOne(tx,
                                               "SELECT r.subject_id, r.blob_name, r.meta_sealed, "
                                               "s.max_clip_ms, s.use_product_words, s.bleep, "
                                               "s.anonymize_chain "
                                               "FROM recordings r JOIN streams s "
                                               "ON s.id = r.stream_id WHERE r.id = ?",
                                               {job.recording_id}, "recording"));
    if (row.IsNull(1)) return NotFound("raw_deleted", "the recording's audio was deleted");
    blob_name = row.Text(1);
    meta_sealed = row.Text(2);
    in.settings.max_clip_ms = row.Int(3);
    in.settings.prefer_product_hypothesis = row.Int(4) != 0;
    in.settings.bleep =
        row.Text(5) == "silence" ? audio::BleepKind::kSilence : audio::BleepKind::kTone;
    in.settings.anonymize.chain = row.Text(6);
    ASSIGN_OR_RETURN(key, rights::SubjectKey(tx, ctx, row.Text(0)));
    ASSIGN_OR_RETURN(account, OpenAccount(tx, row.Text(0), key));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  ASSIGN_OR_RETURN(in.audio, rights::OpenRecordingAudio(ctx, key, job.recording_id, blob_name));
  ASSIGN_OR_RETURN(std::string meta_json,
                   crypto::OpenText(key, meta_sealed, "meta:" + job.recording_id));
  ASSIGN_OR_RETURN(in.meta, ingest::ParseSealedMetadata(meta_json));
  in.known = IdentifiersOf(in.meta, std::move(account));
  return in;
}

namespace {

struct SealedClip {
  std::string id;
  std::string wrapped_key;
  std::string masked_sealed;
  int64_t duration_ms;
  std::string stages;
  int64_t bleeped_ms;
  std::string bleeps;
};

}  // namespace

namespace {

// Marks the job finished in `state`, only if this worker still owns it (the
// claim it made is the latest and nobody dropped or finished it since).
Status FinishOwnedJob(store::Tx& tx, Context& ctx, const DeidJob& job, JobState state) {
  ASSIGN_OR_RETURN(
      int64_t changed,
      tx.Exec("UPDATE deid_jobs SET state = ?, updated_at = ? WHERE id = ? AND "
              "state = ? AND attempts = ?",
              {Sql(state), ctx.clock().NowMs(), job.id, Sql(JobState::kRunning), job.attempts}));
  if (changed != 1) {
    return Conflict("job_lost", "the job was reclaimed, dropped or finished by someone else");
  }
  return Status::Ok();
}

}  // namespace

std::string BleepsJson(const std::vector<audio::TimeRange>& bleeps) {
  std::string out = "[";
  for (const audio::TimeRange& r : bleeps) {
    if (out.size() > 1) out += ',';
    out += '[' + std::to_string(r.start_ms) + ',' + std::to_string(r.end_ms) + ']';
  }
  return out + ']';
}

Result<int64_t> PublishClips(Context& ctx, const DeidJob& job, std::vector<ClipDraft> clips) {
  std::string subject_id, stream_id, subject_key;
  privacy::pii::KnownIdentifiers known;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(
        auto row, store::QueryOne(tx,
                                  "SELECT subject_id, stream_id FROM recordings "
                                  "WHERE id = ? AND state = ?",
                                  {job.recording_id, Sql(RecordingState::kStored)}, "recording"));
    subject_id = row.Text(0);
    stream_id = row.Text(1);
    ASSIGN_OR_RETURN(subject_key, rights::SubjectKey(tx, ctx, subject_id));
    ASSIGN_OR_RETURN(known, LoadKnownIdentifiers(tx, job.recording_id, subject_id, subject_key));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);

  // Only clips that passed every required stage are kept at all: anything
  // else may still carry a raw voice or spoken PII.
  std::vector<SealedClip> sealed;
  int64_t withheld = 0;
  auto delete_sealed = [&ctx, &sealed] {
    for (const auto& c : sealed) (void)ctx.blobs().Delete(c.id);
  };
  for (const ClipDraft& draft : clips) {
    if (!MissingStages(draft.stages_passed).empty()) {
      ++withheld;
      continue;
    }
    SealedClip c;
    c.id = NewId(ctx.rng(), "clp");
    const std::string clip_key = ctx.keys().NewDataKey();
    c.wrapped_key = crypto::WrapClipKey(subject_key, clip_key, c.id, ctx.rng());
    // The last check before a reviewer can read the text (invariant 3).
    const std::string masked = privacy::pii::MaskIdentifiers(draft.masked_text, known);
    c.masked_sealed = crypto::SealText(clip_key, masked, "cliptext:" + c.id, ctx.rng());
    c.duration_ms = draft.audio.DurationMs();
    c.stages = JoinStageNames(draft.stages_passed);
    c.bleeped_ms = std::min(c.duration_ms, audio::CoveredMs(draft.bleeps, 0, c.duration_ms));
    c.bleeps = BleepsJson(draft.bleeps);
    Status put = ctx.blobs().Put(
        c.id, crypto::SealClipAudio(clip_key, audio::PcmView(draft.audio), c.id, ctx.rng()));
    if (!put.ok()) {
      delete_sealed();
      return put;
    }
    sealed.push_back(std::move(c));
  }

  int64_t queued = 0;
  st = ctx.db().Write([&](store::Tx& tx) -> Status {
    queued = 0;
    const int64_t now = ctx.clock().NowMs();
    // Re-checked at commit: the recording may be mid-erasure and consent may
    // have been revoked while the stages ran.
    ASSIGN_OR_RETURN(
        auto rec, store::QueryOne(tx,
                                  "SELECT review_consent_at_capture FROM recordings "
                                  "WHERE id = ? AND state = ?",
                                  {job.recording_id, Sql(RecordingState::kStored)}, "recording"));
    ASSIGN_OR_RETURN(auto consents, rights::CurrentConsents(tx, subject_id));
    const bool may_review = rec.Int(0) != 0 && consents.human_review;
    if (may_review) {
      ASSIGN_OR_RETURN(auto stream, store::QueryOne(tx,
                                                    "SELECT double_review FROM streams WHERE "
                                                    "id = ?",
                                                    {stream_id}, "stream"));
      for (const SealedClip& c : sealed) {
        const int64_t reviews = review::ReviewsWanted(ctx, stream_id, c.id, stream.Real(0));
        RETURN_IF_ERROR(
            tx.Exec(
                  "INSERT INTO clips (id, recording_id, subject_id, stream_id, blob_name, "
                  "wrapped_key, duration_ms, stages_passed, deidentified, masked_text_sealed, "
                  "created_at, review_ended_at, bleeped_ms, bleeps, reviews_wanted) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL, ?, ?, ?)",
                  {c.id, job.recording_id, subject_id, stream_id, c.id, c.wrapped_key,
                   c.duration_ms, c.stages, c.masked_sealed, now, c.bleeped_ms, c.bleeps, reviews})
                .status());
        for (int64_t i = 0; i < reviews; ++i) RETURN_IF_ERROR(review::QueueTask(tx, ctx, c.id));
        ++queued;
      }
    }
    return FinishOwnedJob(tx, ctx, job, queued > 0 ? JobState::kDone : JobState::kDropped);
  });
  // A commit whose outcome is unknown may have saved the clips: their blobs
  // stay, and the orphan sweep removes them if it did not.
  if ((!st.ok() && st.reason() != "db_commit_unknown") || (st.ok() && queued == 0)) {
    delete_sealed();
  }
  RETURN_IF_ERROR(st);
  ctx.metrics().Add("earshot_clips_published_total", queued);
  if (withheld > 0) ctx.metrics().Add("earshot_clips_withheld_total", withheld);
  ctx.metrics().Add("earshot_tasks_queued_total", queued);
  return queued;
}

Status FailJob(Context& ctx, const DeidJob& job, const std::string& failure_class) {
  const bool last = job.attempts >= kMaxJobAttempts;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    const int64_t now = ctx.clock().NowMs();
    ASSIGN_OR_RETURN(int64_t changed,
                     tx.Exec("UPDATE deid_jobs SET state = ?, failure_class = ?, lease_until = ?, "
                             "updated_at = ? WHERE id = ? AND state = ? AND attempts = ?",
                             {Sql(last ? JobState::kQuarantined : JobState::kQueued), failure_class,
                              now + kJobRetryBackoffMs * job.attempts, now, job.id,
                              Sql(JobState::kRunning), job.attempts}));
    if (changed != 1) {
      return Conflict("job_lost", "the job was reclaimed, dropped or finished by someone else");
    }
    return Status::Ok();
  }));
  // Counted once the failure is recorded (a re-run callback counts nothing).
  ctx.metrics().Add("earshot_deid_failures_total", 1, "reason", failure_class);
  if (last) ctx.metrics().Add("earshot_deid_quarantined_total", 1, "class", failure_class);
  LogWarn(last ? "deid_job_quarantined" : "deid_job_failed",
          {{"job", job.id}, {"reason", failure_class}, {"attempt", std::to_string(job.attempts)}});
  return Status::Ok();
}

Status ReleaseJob(Context& ctx, const DeidJob& job) {
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    return tx
        .Exec(
            "UPDATE deid_jobs SET state = ?, attempts = attempts - 1, lease_until = 0, "
            "updated_at = ? WHERE id = ? AND state = ? AND attempts = ?",
            {Sql(JobState::kQueued), ctx.clock().NowMs(), job.id, Sql(JobState::kRunning),
             job.attempts})
        .status();
  });
}

Result<std::vector<QuarantinedJob>> ListQuarantinedJobs(Context& ctx) {
  std::vector<QuarantinedJob> out;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, failure_class, attempts, updated_at FROM "
                                         "deid_jobs WHERE state = ? "
                                         "ORDER BY updated_at DESC, id LIMIT 1000",
                                         {Sql(JobState::kQuarantined)}));
    for (const auto& r : rows) out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3)});
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> JobCounts(Context& ctx) {
  std::vector<std::pair<std::string, int64_t>> out;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT state, COUNT(*) FROM deid_jobs GROUP BY state", {}));
    for (const auto& r : rows) out.emplace_back(r.Text(0), r.Int(1));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return out;
}

}  // namespace earshot::pipeline
