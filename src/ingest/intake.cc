#include "ingest/intake.h"

#include <algorithm>

#include "app/row_states.h"
#include "audio/decode.h"
#include "crypto/seal.h"
#include "ingest/sampler.h"
#include "ingest/wake_gate.h"
#include "pipeline/jobs.h"
#include "rights/subjects.h"
#include "util/log.h"

namespace earshot::ingest {
namespace {

struct Admission {
  std::string subject_id;
  std::string data_key;
};

// The subject must exist and have granted `store`.
Result<Admission> Admit(Context& ctx, const std::string& tenant, const RecordingMetadata& meta) {
  Admission out;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    auto subject = rights::FindSubjectByAccount(tx, ctx, tenant, meta.account);
    if (!subject.ok()) {
      if (subject.status().code() == Code::kNotFound) {
        return Forbidden("no_store_consent", "the account has not consented to storage");
      }
      return subject.status();
    }
    ASSIGN_OR_RETURN(auto consents, rights::CurrentConsents(tx, *subject));
    if (!consents.store) {
      return Forbidden("no_store_consent", "the account has not consented to storage");
    }
    out.subject_id = *subject;
    ASSIGN_OR_RETURN(out.data_key, rights::SubjectKey(tx, ctx, *subject));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return out;
}

// Inserts the recording row and, if it qualifies, its de-identification job.
// One more recording received by `stream` this hour (and one more
// accidental activation if it was discarded for want of the wake word).
Status CountReceived(store::Tx& tx, Context& ctx, const std::string& stream_id, bool accidental) {
  const int64_t hour = ctx.clock().NowMs() / 3'600'000;
  return tx
      .Exec(
          "INSERT INTO stream_hours (stream_id, hour, received, accidental) VALUES (?, ?, 1, ?) "
          "ON CONFLICT (stream_id, hour) DO UPDATE SET received = stream_hours.received + 1, "
          "accidental = stream_hours.accidental + excluded.accidental",
          {stream_id, hour, int64_t{accidental ? 1 : 0}})
      .status();
}

Result<bool> Commit(Context& ctx, store::Tx& tx, const Stream& stream, const Admission& who,
                    const RecordingMetadata& meta, const std::string& rec_id,
                    const std::string& blob_name, int64_t duration_ms) {
  // Re-check inside the write transaction: consent may have been revoked or
  // an erasure of the subject begun while the audio was being sealed.
  RETURN_IF_ERROR(rights::SubjectKey(tx, ctx, who.subject_id).status());  // not being erased
  RETURN_IF_ERROR(CountReceived(tx, ctx, stream.id, /*accidental=*/false));
  ASSIGN_OR_RETURN(auto consents, rights::CurrentConsents(tx, who.subject_id));
  if (!consents.store) return Forbidden("no_store_consent", "storage consent was withdrawn");
  const int64_t now = ctx.clock().NowMs();
  const int64_t capture_point = std::min(meta.captured_at_ms, now);
  ASSIGN_OR_RETURN(
      bool review_at_capture,
      rights::ConsentHeldAt(tx, who.subject_id, rights::Purpose::kHumanReview, capture_point));
  const bool review_now = consents.human_review;
  RETURN_IF_ERROR(
      tx.Exec(
            "INSERT INTO recordings (id, subject_id, stream_id, captured_at, received_at, "
            "duration_ms, blob_name, meta_sealed, review_consent_at_capture, state, locale) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {rec_id, who.subject_id, stream.id, meta.captured_at_ms, now, duration_ms, blob_name,
             crypto::SealText(who.data_key, SealedMetadataJson(meta), "meta:" + rec_id, ctx.rng()),
             int64_t{review_at_capture ? 1 : 0}, Sql(RecordingState::kStored), meta.locale})
          .status());
  ASSIGN_OR_RETURN(bool paused, IsRegionPaused(tx, stream.spec.region));
  const double draw = SampleDraw(ctx.keys().DeriveKey("sampler_"), stream.id, rec_id);
  if (!review_at_capture || !review_now || paused || !IsSampled(draw, stream.spec.sample_rate)) {
    return false;
  }
  RETURN_IF_ERROR(pipeline::EnqueueDeidJob(tx, ctx, rec_id));
  return true;
}

}  // namespace

void CountRejection(Context& ctx, const std::string& reason) {
  ctx.metrics().Add("earshot_recordings_rejected_total", 1, "reason", reason);
}

Result<IntakeOutcome> IngestRecording(Context& ctx, const Stream& stream,
                                      const RecordingMetadata& meta, std::string_view audio) {
  auto reject = [&ctx](Status st) {
    CountRejection(ctx, st.reason());
    return st;
  };
  auto who = Admit(ctx, stream.spec.tenant, meta);
  if (!who.ok()) return reject(who.status());
  audio::DecodeLimits limits{std::min(stream.spec.max_recording_ms, ctx.config().max_recording_ms)};
  auto pcm = audio::DecodeToCanonical(audio, limits);
  if (!pcm.ok()) return reject(pcm.status());

  IntakeOutcome outcome;
  auto heard = WakeWordHeard(stream.spec, *pcm);
  if (!heard.ok()) return reject(heard.status());
  if (!*heard) {
    ctx.metrics().Add("earshot_accidental_activations_total", 1, "stream", stream.spec.name);
    // Only the count remains (invariant 2), per stream and hour for the
    // quality report; nothing of the recording is stored.
    // A failed count loses no data and does not fail the discard.
    (void)ctx.db().Write(
        [&](store::Tx& tx) { return CountReceived(tx, ctx, stream.id, /*accidental=*/true); });
    outcome.discarded = true;
    outcome.duration_ms = pcm->DurationMs();
    return outcome;
  }
  outcome.recording_id = NewId(ctx.rng(), "rec");
  outcome.duration_ms = pcm->DurationMs();
  const std::string blob_name = outcome.recording_id;
  Status st = ctx.blobs().Put(blob_name, crypto::Seal(who->data_key, audio::PcmView(*pcm),
                                                      "rec:" + outcome.recording_id, ctx.rng()));
  if (!st.ok()) return reject(st);
  st = ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(
        outcome.review_candidate,
        Commit(ctx, tx, stream, *who, meta, outcome.recording_id, blob_name, outcome.duration_ms));
    return Status::Ok();
  });
  if (!st.ok()) {
    // Leave nothing behind, unless the commit's outcome is unknown: then the
    // row may exist, and the orphan sweep removes the blob if it does not.
    if (st.reason() != "db_commit_unknown") (void)ctx.blobs().Delete(blob_name);
    return reject(st);
  }
  ctx.metrics().Add("earshot_recordings_accepted_total");
  if (outcome.review_candidate) ctx.metrics().Add("earshot_review_candidates_total");
  return outcome;
}

}  // namespace earshot::ingest
