#include "rights/subject_data.h"

#include <nlohmann/json.hpp>

#include "app/row_states.h"
#include "audio/decode.h"
#include "audit/audit_log.h"
#include "ingest/streams.h"
#include "rights/recording_access.h"
#include "util/encoding.h"

namespace earshot::rights {
namespace {

using nlohmann::json;

Status NoSuchRecording() {
  return NotFound("no_such_recording", "no such recording");
}

Result<std::vector<Listen>> ListensOf(store::Tx& tx, const std::string& recording_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT reviewer_pseudonym, at, purpose FROM listens "
                                       "WHERE recording_id = ? ORDER BY at",
                                       {recording_id}));
  std::vector<Listen> out;
  for (const auto& r : rows) out.push_back({r.Text(0), r.Int(1), r.Text(2)});
  return out;
}

}  // namespace

nlohmann::json ListensJson(const std::vector<Listen>& listens) {
  json out = json::array();
  for (const auto& l : listens) {
    out.push_back({{"reviewer", l.reviewer_pseudonym},
                   {"at", FormatRfc3339(l.at_ms)},
                   {"purpose", l.purpose}});
  }
  return out;
}

Result<std::vector<RecordingSummary>> ListRecordings(Context& ctx, const std::string& subject_id) {
  std::vector<RecordingSummary> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(
        auto rows, tx.Query("SELECT r.id, s.name, r.captured_at, r.duration_ms, r.blob_name, "
                            "r.meta_sealed FROM recordings r JOIN streams s ON s.id = r.stream_id "
                            "WHERE r.subject_id = ? AND r.state <> ? "
                            "ORDER BY r.captured_at DESC, r.id",
                            {subject_id, Sql(RecordingState::kErasing)}));
    if (rows.empty()) return Status::Ok();
    ASSIGN_OR_RETURN(const std::string key, SubjectKey(tx, ctx, subject_id));
    for (const auto& r : rows) {
      RecordingSummary s{r.Text(0), r.Text(1), r.Int(2), r.Int(3), !r.IsNull(4), {}, {}};
      ASSIGN_OR_RETURN(s.listens, ListensOf(tx, s.id));
      ASSIGN_OR_RETURN(s.heard, ReadWhatWasHeard(tx, key, s.id, r.Text(5)));
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::string> RecordingAudioWav(Context& ctx, const std::string& subject_id,
                                      const std::string& recording_id) {
  std::string key, blob_name;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT blob_name FROM recordings WHERE id = ? AND "
                              "subject_id = ? AND state <> ?",
                              {recording_id, subject_id, Sql(RecordingState::kErasing)}));
    if (rows.empty()) return NoSuchRecording();
    if (rows[0].IsNull(0)) {
      return NotFound("audio_deleted", "the audio was deleted under your retention setting");
    }
    blob_name = rows[0].Text(0);
    ASSIGN_OR_RETURN(key, SubjectKey(tx, ctx, subject_id));
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(audio::Pcm16 pcm, OpenRecordingAudio(ctx, key, recording_id, blob_name));
  return audio::EncodeWav(pcm);
}

Result<SubjectSettings> GetSettings(Context& ctx, const std::string& subject_id) {
  SubjectSettings out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(out.consents, CurrentConsents(tx, subject_id));
    ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, "SELECT retention FROM subjects WHERE id = ?",
                                               {subject_id}, "subject"));
    out.retention = row.IsNull(0) ? "" : row.Text(0);
    return Status::Ok();
  }));
  return out;
}

namespace {

Status CheckPolicyVersion(const std::string& policy_version) {
  if (policy_version.empty() || policy_version.size() > 64) {
    return InvalidArgument("bad_policy_version", "policy_version must be 1-64 characters");
  }
  return Status::Ok();
}

// Sets `withdrawn` to the tasks the change withdrew (see RecordConsent).
Status RecordAndAudit(store::Tx& tx, Context& ctx, const std::string& subject_id,
                      const std::map<Purpose, bool>& changes, const std::string& policy_version,
                      const std::string& source, int64_t& withdrawn) {
  ASSIGN_OR_RETURN(withdrawn, RecordConsent(tx, ctx, subject_id, changes, policy_version, source));
  std::string details;
  for (const auto& [p, g] : changes) {
    details += std::string(details.empty() ? "" : ",") + PurposeName(p) + "=" + (g ? "1" : "0");
  }
  return audit::Append(tx, ctx, source, "consent.update", subject_id, details);
}

void CountWithdrawn(Context& ctx, int64_t withdrawn) {
  if (withdrawn > 0) {
    ctx.metrics().Add("earshot_tasks_withdrawn_total", withdrawn, "reason", "consent_revoked");
  }
}

}  // namespace

Status UpdateConsents(Context& ctx, const std::string& subject_id,
                      const std::map<Purpose, bool>& changes, const std::string& policy_version,
                      const std::string& source) {
  RETURN_IF_ERROR(CheckPolicyVersion(policy_version));
  int64_t withdrawn = 0;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) {
    return RecordAndAudit(tx, ctx, subject_id, changes, policy_version, source, withdrawn);
  }));
  CountWithdrawn(ctx, withdrawn);
  return Status::Ok();
}

Result<std::string> UpdateAccountConsents(Context& ctx, const std::string& tenant,
                                          const std::string& account,
                                          const std::map<Purpose, bool>& changes,
                                          const std::string& policy_version,
                                          const std::string& source) {
  RETURN_IF_ERROR(CheckPolicyVersion(policy_version));
  std::string subject_id;
  int64_t withdrawn = 0;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject_id, EnsureSubject(tx, ctx, tenant, account));
    return RecordAndAudit(tx, ctx, subject_id, changes, policy_version, source, withdrawn);
  }));
  CountWithdrawn(ctx, withdrawn);
  return subject_id;
}

Status SetRetention(Context& ctx, const std::string& subject_id, const std::string& retention) {
  if (!ingest::IsValidRetention(retention)) {
    return InvalidArgument("bad_retention", "retention must be 3m, 18m or never");
  }
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(
        tx.Exec("UPDATE subjects SET retention = ? WHERE id = ?", {retention, subject_id})
            .status());
    return audit::Append(tx, ctx, "subject", "retention.update", subject_id, retention);
  });
}

}  // namespace earshot::rights
