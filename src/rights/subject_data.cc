#include "rights/subject_data.h"

#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "audit/audit_log.h"
#include "crypto/seal.h"
#include "ingest/metadata.h"
#include "ingest/streams.h"
#include "rights/recording_access.h"
#include "rights/tar.h"
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

// Reviewers' annotations of the recording's clips, decrypted.
Result<json> AnnotationsJson(store::Tx& tx, const std::string& key, const std::string& rec_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT a.id, a.transcript_sealed, a.intended, a.heard_accurately, "
                            "a.responded_appropriately, a.flags, a.created_at FROM annotations a "
                            "JOIN clips c ON c.id = a.clip_id WHERE c.recording_id = ? "
                            "ORDER BY a.created_at",
                            {rec_id}));
  json out = json::array();
  auto tri = [](const store::Row& r, size_t i) -> json {
    return r.IsNull(i) ? json(nullptr) : json(r.Int(i) != 0);
  };
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(std::string transcript,
                     crypto::OpenText(key, r.Text(1), "anntext:" + r.Text(0)));
    out.push_back({{"transcript", transcript},
                   {"intended", tri(r, 2)},
                   {"heard_accurately", tri(r, 3)},
                   {"responded_appropriately", tri(r, 4)},
                   {"flags", r.Text(5)},
                   {"at", FormatRfc3339(r.Int(6))}});
  }
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
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT r.id, s.name, r.captured_at, r.duration_ms, r.blob_name "
                              "FROM recordings r JOIN streams s ON s.id = r.stream_id "
                              "WHERE r.subject_id = ? AND r.state <> 'erasing' "
                              "ORDER BY r.captured_at DESC, r.id",
                              {subject_id}));
    for (const auto& r : rows) {
      RecordingSummary s{r.Text(0), r.Text(1), r.Int(2), r.Int(3), !r.IsNull(4), {}};
      ASSIGN_OR_RETURN(s.listens, ListensOf(tx, s.id));
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
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT blob_name FROM recordings WHERE id = ? AND "
                                         "subject_id = ? AND state <> 'erasing'",
                                         {recording_id, subject_id}));
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

Result<std::string> ExportArchive(Context& ctx, const std::string& subject_id) {
  TarWriter tar;
  json doc;
  const int64_t now = ctx.clock().NowMs();
  // Read and decrypt in a snapshot (no writer waits on it), then audit.
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(std::string key, SubjectKey(tx, ctx, subject_id));
    ASSIGN_OR_RETURN(auto acct, store::QueryOne(tx,
                                                "SELECT account_sealed FROM vault_accounts "
                                                "WHERE subject_id = ?",
                                                {subject_id}, "account"));
    ASSIGN_OR_RETURN(std::string account,
                     crypto::OpenText(key, acct.Text(0), "account:" + subject_id));
    doc["format"] = "earshot-export/1";
    doc["exported_at"] = FormatRfc3339(now);
    doc["account"] = account;
    ASSIGN_OR_RETURN(auto subj, store::QueryOne(tx, "SELECT retention FROM subjects WHERE id = ?",
                                                {subject_id}, "subject"));
    doc["retention"] = subj.IsNull(0) ? json(nullptr) : json(subj.Text(0));
    ASSIGN_OR_RETURN(auto events, tx.Query("SELECT purpose, granted, policy_version, source, at "
                                           "FROM consent_events WHERE subject_id = ? ORDER BY seq",
                                           {subject_id}));
    doc["consent_history"] = json::array();
    for (const auto& e : events) {
      doc["consent_history"].push_back({{"purpose", e.Text(0)},
                                        {"granted", e.Int(1) != 0},
                                        {"policy_version", e.Text(2)},
                                        {"source", e.Text(3)},
                                        {"at", FormatRfc3339(e.Int(4))}});
    }
    ASSIGN_OR_RETURN(auto recs, tx.Query("SELECT r.id, s.name, r.received_at, r.duration_ms, "
                                         "r.blob_name, r.meta_sealed FROM recordings r JOIN "
                                         "streams s ON s.id = r.stream_id WHERE r.subject_id = ? "
                                         "AND r.state <> 'erasing' ORDER BY r.captured_at",
                                         {subject_id}));
    doc["recordings"] = json::array();
    for (const auto& r : recs) {
      const std::string id = r.Text(0);
      ASSIGN_OR_RETURN(std::string meta_text, crypto::OpenText(key, r.Text(5), "meta:" + id));
      json entry = json::parse(meta_text, nullptr, false);
      entry["id"] = id;
      entry["stream"] = r.Text(1);
      entry["received_at"] = FormatRfc3339(r.Int(2));
      entry["duration_ms"] = r.Int(3);
      ASSIGN_OR_RETURN(auto listens, ListensOf(tx, id));
      entry["listens"] = ListensJson(listens);
      ASSIGN_OR_RETURN(entry["annotations"], AnnotationsJson(tx, key, id));
      if (!r.IsNull(4)) {
        ASSIGN_OR_RETURN(audio::Pcm16 pcm, OpenRecordingAudio(ctx, key, id, r.Text(4)));
        entry["audio_file"] = "recordings/" + id + ".wav";
        tar.Add("recordings/" + id + ".wav", audio::EncodeWav(pcm), now / 1000);
      } else {
        entry["audio_file"] = nullptr;
      }
      doc["recordings"].push_back(std::move(entry));
    }
    ASSIGN_OR_RETURN(auto tombs, tx.Query("SELECT recording_id, erased_at FROM tombstones "
                                          "WHERE subject_id = ? ORDER BY erased_at",
                                          {subject_id}));
    doc["tombstones"] = json::array();
    for (const auto& t : tombs) {
      doc["tombstones"].push_back(
          {{"recording_id", t.Text(0)}, {"erased_at", FormatRfc3339(t.Int(1))}});
    }
    return Status::Ok();
  }));
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) {
    return audit::Append(tx, ctx, "subject", "subject.export", subject_id);
  }));
  tar.Add("data.json", doc.dump(2), now / 1000);
  ctx.metrics().Add("earshot_exports_total");
  return tar.Finish();
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

Status UpdateConsents(Context& ctx, const std::string& subject_id,
                      const std::map<Purpose, bool>& changes, const std::string& policy_version,
                      const std::string& source) {
  if (policy_version.empty() || policy_version.size() > 64) {
    return InvalidArgument("bad_policy_version", "policy_version must be 1-64 characters");
  }
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(RecordConsent(tx, ctx, subject_id, changes, policy_version, source));
    std::string details;
    for (const auto& [p, g] : changes) {
      details += std::string(details.empty() ? "" : ",") + PurposeName(p) + "=" + (g ? "1" : "0");
    }
    return audit::Append(tx, ctx, source, "consent.update", subject_id, details);
  });
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
