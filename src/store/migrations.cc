#include "store/migrations.h"

#include <string>

namespace earshot::store {
namespace {

struct Migration {
  int version;
  const char* sql;  // {{SERIAL_PK}} is replaced per dialect
};

// Times are Unix milliseconds (BIGINT). Sensitive per-subject fields are
// *_sealed: XChaCha20-Poly1305 under the subject's data key, base64url text.
constexpr Migration kMigrations[] = {
    {1, R"SQL(
CREATE TABLE streams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  tenant TEXT NOT NULL,
  region TEXT NOT NULL,
  wake_word TEXT,
  sample_rate DOUBLE PRECISION NOT NULL,
  retention_default TEXT NOT NULL,
  max_clip_ms BIGINT NOT NULL,
  max_recording_ms BIGINT NOT NULL,
  api_key_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE TABLE paused_regions (
  region TEXT PRIMARY KEY,
  paused_at BIGINT NOT NULL
);
CREATE TABLE subjects (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  wrapped_key TEXT NOT NULL,
  retention TEXT,
  created_at BIGINT NOT NULL
);
CREATE TABLE vault_accounts (
  subject_id TEXT PRIMARY KEY REFERENCES subjects(id),
  account_mac TEXT NOT NULL UNIQUE,
  account_sealed TEXT NOT NULL
);
CREATE TABLE consent_events (
  seq {{SERIAL_PK}},
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  purpose TEXT NOT NULL,
  granted INTEGER NOT NULL,
  policy_version TEXT NOT NULL,
  source TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX consent_events_subject ON consent_events(subject_id, purpose, seq);
CREATE TABLE consents (
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  purpose TEXT NOT NULL,
  granted INTEGER NOT NULL,
  policy_version TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (subject_id, purpose)
);
CREATE TABLE recordings (
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  stream_id TEXT NOT NULL REFERENCES streams(id),
  captured_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  duration_ms BIGINT NOT NULL,
  blob_name TEXT,
  meta_sealed TEXT NOT NULL,
  review_consent_at_capture INTEGER NOT NULL,
  state TEXT NOT NULL
);
CREATE INDEX recordings_subject ON recordings(subject_id);
CREATE TABLE deid_jobs (
  id TEXT PRIMARY KEY,
  recording_id TEXT NOT NULL UNIQUE REFERENCES recordings(id),
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  lease_until BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX deid_jobs_state ON deid_jobs(state, created_at);
CREATE TABLE clips (
  id TEXT PRIMARY KEY,
  recording_id TEXT NOT NULL REFERENCES recordings(id),
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  stream_id TEXT NOT NULL REFERENCES streams(id),
  blob_name TEXT,
  wrapped_key TEXT NOT NULL,
  duration_ms BIGINT NOT NULL,
  stages_passed TEXT NOT NULL,
  deidentified INTEGER NOT NULL,
  masked_text_sealed TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  review_ended_at BIGINT
);
CREATE INDEX clips_recording ON clips(recording_id);
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  clip_id TEXT NOT NULL REFERENCES clips(id),
  state TEXT NOT NULL,
  reviewer_id TEXT,
  lease_until BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  completed_at BIGINT
);
CREATE INDEX tasks_state ON tasks(state, created_at);
CREATE TABLE task_skips (
  task_id TEXT NOT NULL REFERENCES tasks(id),
  reviewer_id TEXT NOT NULL,
  PRIMARY KEY (task_id, reviewer_id)
);
CREATE TABLE annotations (
  id TEXT PRIMARY KEY,
  task_id TEXT NOT NULL UNIQUE REFERENCES tasks(id),
  clip_id TEXT NOT NULL REFERENCES clips(id),
  reviewer_id TEXT NOT NULL,
  transcript_sealed TEXT NOT NULL,
  note_sealed TEXT NOT NULL,
  intended INTEGER,
  heard_accurately INTEGER,
  responded_appropriately INTEGER,
  flags TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE listens (
  id TEXT PRIMARY KEY,
  recording_id TEXT NOT NULL REFERENCES recordings(id),
  clip_id TEXT NOT NULL REFERENCES clips(id),
  reviewer_pseudonym TEXT NOT NULL,
  purpose TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX listens_recording ON listens(recording_id);
CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  pseudonym TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  disabled INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE erasures (
  id TEXT PRIMARY KEY,
  subject_id TEXT NOT NULL,
  recording_id TEXT,
  state TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  completed_at BIGINT
);
CREATE TABLE tombstones (
  recording_id TEXT PRIMARY KEY,
  subject_id TEXT,
  erased_at BIGINT NOT NULL
);
CREATE TABLE audit_events (
  seq {{SERIAL_PK}},
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  details TEXT NOT NULL
);
)SQL"},
    // De-identification settings per stream (issue 3).
    {2, R"SQL(
ALTER TABLE streams ADD COLUMN use_product_words INTEGER NOT NULL DEFAULT 1;
ALTER TABLE streams ADD COLUMN bleep TEXT NOT NULL DEFAULT 'tone';
ALTER TABLE streams ADD COLUMN wake_threshold DOUBLE PRECISION NOT NULL DEFAULT 1e-20;
)SQL"},
    // The voice anonymization chain per stream (issue 4).
    {3, R"SQL(
ALTER TABLE streams ADD COLUMN anonymize_chain TEXT NOT NULL DEFAULT 'mcadams';
)SQL"},
    // The audit hash chain (issue 5): events written before it are chained
    // once, at the first start after migration 10 (audit::ChainUnchainedEvents).
    {4, R"SQL(
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
)SQL"},
    // Escalation of harm and redaction misses (issue 5).
    {5, R"SQL(
CREATE TABLE escalations (
  id TEXT PRIMARY KEY,
  clip_id TEXT NOT NULL REFERENCES clips(id),
  subject_id TEXT NOT NULL REFERENCES subjects(id),
  note_sealed TEXT NOT NULL,
  state TEXT NOT NULL,
  opened_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  requested_by TEXT,
  requested_at BIGINT,
  reason_sealed TEXT,
  approved_by TEXT,
  approved_at BIGINT,
  closed_at BIGINT
);
CREATE INDEX escalations_state ON escalations(state, opened_at);
CREATE TABLE redaction_misses (
  clip_id TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  reported_at BIGINT NOT NULL
);
CREATE TABLE reviewer_breaks (
  reviewer_id TEXT PRIMARY KEY,
  until BIGINT NOT NULL
);
)SQL"},
    // Staff sign-in: passwords, TOTP, recovery codes, lockout, sessions (issue 5).
    {6, R"SQL(
ALTER TABLE staff ADD COLUMN password_hash TEXT;
ALTER TABLE staff ADD COLUMN totp_sealed TEXT;
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE staff ADD COLUMN enrolment_hash TEXT;
CREATE TABLE staff_recovery_codes (
  staff_id TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (staff_id, code_hash)
);
CREATE TABLE sign_in_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  locked_until BIGINT NOT NULL
);
CREATE TABLE staff_sessions (
  id_hash TEXT PRIMARY KEY,
  staff_id TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL
);
)SQL"},
    // Staff bearer tokens retired (sessions only); failure counts expire.
    {7, R"SQL(
UPDATE staff SET token_hash = 'retired:' || id;
ALTER TABLE sign_in_failures ADD COLUMN last_failure_at BIGINT NOT NULL DEFAULT 0;
)SQL"},
    // The quality report (issue 6): word errors of the machine hypothesis per
    // annotation (counts, no text), and per stream and hour the recordings
    // received and the accidental activations discarded (counts only); and
    // no stream keeps clips longer than 10 s (invariant 5).
    {8, R"SQL(
ALTER TABLE annotations ADD COLUMN hyp_errors INTEGER;
ALTER TABLE annotations ADD COLUMN ref_words INTEGER;
CREATE INDEX annotations_created ON annotations(created_at);
UPDATE streams SET max_clip_ms = 10000 WHERE max_clip_ms > 10000;
CREATE TABLE stream_hours (
  stream_id TEXT NOT NULL,
  hour BIGINT NOT NULL,
  received BIGINT NOT NULL DEFAULT 0,
  accidental BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (stream_id, hour)
);
)SQL"},
    // Every byte of audio served to staff belongs to one play (issue 11):
    // a listen counts the bytes served under it, so a byte range can only
    // continue a live play and never fetch more than the play allows.
    {9, R"SQL(
ALTER TABLE listens ADD COLUMN bytes_served BIGINT NOT NULL DEFAULT 0;
CREATE INDEX listens_clip_staff ON listens(clip_id, reviewer_pseudonym, at);
)SQL"},
    // The audit chain fails closed (issue 11): the one row of its state says
    // whether the one-time chaining of events from before migration 4 has
    // run (sealed_at; never again after it), and which head was last
    // anchored outside the database (audit/anchor.h). The row is made here,
    // so a missing row means someone deleted it.
    {10, R"SQL(
CREATE TABLE audit_chain_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  sealed_at BIGINT,
  pre_chain_events BIGINT NOT NULL DEFAULT 0,
  anchored_seq BIGINT NOT NULL DEFAULT 0,
  anchored_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO audit_chain_state (id) VALUES (1);
)SQL"},
    // Isolated de-identification (issue 11): a failed attempt is retried, the
    // third is quarantined with a content-free failure class. Jobs that
    // failed under the old rule (once, for good) count as quarantined.
    {11, R"SQL(
ALTER TABLE deid_jobs ADD COLUMN failure_class TEXT;
UPDATE deid_jobs SET state = 'quarantined', failure_class = 'failed_before_v11'
  WHERE state = 'failed';
)SQL"},
    // The streamed subject export (issue 11, item 8) reads a subject's
    // recordings in pages by id: (subject_id, id) serves that without a sort
    // and every lookup by subject that the old index served.
    {12, R"SQL(
CREATE INDEX recordings_subject_id ON recordings(subject_id, id);
DROP INDEX recordings_subject;
)SQL"},
    // What each clip's bleeps cover (issue 12, item 3): leads see
    // over-redaction per stream, reviewers see the bleeps on the waveform.
    // Clips published before this version count as nothing bleeped.
    {13, R"SQL(
ALTER TABLE clips ADD COLUMN bleeped_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE clips ADD COLUMN bleeps TEXT NOT NULL DEFAULT '[]';
)SQL"},
    // Region codes (issue 13, item 13; ingest/region_codes.h) are kept in
    // upper case: stored free text in any case is upper-cased, and pauses
    // that differ only in case ("eu", "EU") become one, paused since the
    // earlier. Text that is no code stays (upper-cased): it still matches
    // its streams and can be resumed, but is never accepted again.
    {14, R"SQL(
UPDATE streams SET region = UPPER(region) WHERE region <> UPPER(region);
INSERT INTO paused_regions (region, paused_at)
  SELECT UPPER(region), MIN(paused_at) FROM paused_regions
  WHERE region <> UPPER(region) GROUP BY UPPER(region)
  ON CONFLICT (region) DO UPDATE SET paused_at = CASE
    WHEN excluded.paused_at < paused_regions.paused_at THEN excluded.paused_at
    ELSE paused_regions.paused_at END;
DELETE FROM paused_regions WHERE region <> UPPER(region);
)SQL"},
    // Scale-out (issue 14). The audit chain's head in a row of its own, which
    // every append updates first: that row lock queues concurrent appenders
    // (audit/audit_log.cc). Sealed blobs kept in the database
    // (store/db_blob_store.h, --blobs postgresql); the orphan sweep looks blobs
    // up by name, a page at a time (rights/retention.cc).
    {15, R"SQL(
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  SELECT 1, COALESCE(MAX(seq), 0),
         COALESCE((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), '')
  FROM audit_events;
CREATE TABLE sealed_blobs (
  name TEXT PRIMARY KEY,
  data TEXT NOT NULL,
  modified_at BIGINT NOT NULL
);
CREATE INDEX recordings_blob ON recordings(blob_name);
CREATE INDEX clips_blob ON clips(blob_name);
)SQL"},
    // The master key's check value (crypto::Keyring::CheckValue), kept by
    // the first process of a deployment: servers and workers on other hosts
    // that bring another key refuse to start (app/context.cc).
    {16, R"SQL(
CREATE TABLE deployment_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  check_value TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
)SQL"},
    // Double review (review/double_review.h): how many independent reviews
    // each clip gets, and per stream the share drawn for two and the
    // disagreement that calls a third.
    {17, R"SQL(
ALTER TABLE streams ADD COLUMN double_review DOUBLE PRECISION NOT NULL DEFAULT 0.1;
ALTER TABLE streams ADD COLUMN disagreement_wer DOUBLE PRECISION NOT NULL DEFAULT 0.2;
ALTER TABLE clips ADD COLUMN reviews_wanted INTEGER NOT NULL DEFAULT 1;
CREATE INDEX tasks_clip ON tasks(clip_id);
CREATE INDEX annotations_clip ON annotations(clip_id);
)SQL"},
    // Consolidation (review/consensus.h): one consensus per reviewed clip,
    // each review's distance to it, and the lead's adjudication as the way a
    // stream may settle a disagreement instead of a third review.
    {18, R"SQL(
CREATE TABLE consensus (
  clip_id TEXT PRIMARY KEY REFERENCES clips(id),
  reviews INTEGER NOT NULL,
  adjudicated INTEGER NOT NULL,
  transcript_sealed TEXT NOT NULL,
  intended INTEGER,
  heard_accurately INTEGER,
  responded_appropriately INTEGER,
  hyp_errors INTEGER,
  ref_words INTEGER,
  pair_errors INTEGER,
  pair_words INTEGER,
  updated_at BIGINT NOT NULL
);
CREATE INDEX consensus_updated ON consensus(updated_at);
ALTER TABLE annotations ADD COLUMN cons_errors INTEGER;
ALTER TABLE annotations ADD COLUMN cons_words INTEGER;
ALTER TABLE tasks ADD COLUMN adjudication INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streams ADD COLUMN on_disagreement TEXT NOT NULL DEFAULT 'third_review';
)SQL"},
    // Gold clips (review/gold.h): consolidated clips a lead made the known
    // answer, the gold tasks that put them in reviewers' queues, and each
    // gold review's score.
    {19, R"SQL(
CREATE TABLE gold_clips (
  id TEXT PRIMARY KEY,
  clip_id TEXT NOT NULL UNIQUE REFERENCES clips(id),
  stream_id TEXT NOT NULL,
  transcript_sealed TEXT NOT NULL,
  intended INTEGER,
  heard_accurately INTEGER,
  responded_appropriately INTEGER,
  marked_by TEXT NOT NULL,
  marked_at BIGINT NOT NULL
);
CREATE INDEX gold_clips_stream ON gold_clips(stream_id, marked_at);
CREATE TABLE gold_results (
  task_id TEXT PRIMARY KEY,
  clip_id TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  reviewer_id TEXT NOT NULL,
  word_errors INTEGER NOT NULL,
  ref_words INTEGER NOT NULL,
  answers_right INTEGER NOT NULL,
  answers_compared INTEGER NOT NULL,
  correct INTEGER NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX gold_results_reviewer ON gold_results(reviewer_id, at);
CREATE INDEX gold_results_clip ON gold_results(clip_id);
ALTER TABLE tasks ADD COLUMN gold INTEGER NOT NULL DEFAULT 0;
ALTER TABLE streams ADD COLUMN gold_share DOUBLE PRECISION NOT NULL DEFAULT 0.05;
)SQL"},
    // The product's quality per locale (review/product_quality.h): the
    // recording's locale (a validated language tag such as en-US, no finer
    // than the stream's region) in the clear beside its sealed metadata.
    {20, R"SQL(
ALTER TABLE recordings ADD COLUMN locale TEXT NOT NULL DEFAULT '';
CREATE INDEX recordings_stream_received ON recordings(stream_id, received_at);
)SQL"},
    // Training exports (review/training_export.h): each export, and each
    // utterance it wrote by its random id, so a later export can list the
    // ones whose subject erased them or withdrew training consent (the link
    // to the clip and subject is cut when that happens).
    {21, R"SQL(
CREATE TABLE training_exports (
  id TEXT PRIMARY KEY,
  stream_id TEXT NOT NULL,
  format TEXT NOT NULL,
  actor TEXT NOT NULL,
  since_ms BIGINT,
  utterances INTEGER NOT NULL,
  tombstones INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE exported_utterances (
  utt_id TEXT PRIMARY KEY,
  export_id TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  clip_id TEXT,
  subject_id TEXT,
  withdrawn_at BIGINT
);
CREATE INDEX exported_utterances_clip ON exported_utterances(clip_id);
CREATE INDEX exported_utterances_subject ON exported_utterances(subject_id);
CREATE INDEX exported_utterances_stream ON exported_utterances(stream_id, withdrawn_at);
)SQL"},
    // A reviewer's agreement is measured against the consensus of the
    // other reviews (leave-one-out, review/consensus.h): the grades that
    // match it, beside the word errors of migration 18. Rows written before
    // keep their old comparison until their clip's consensus is rebuilt.
    // A running training export's heartbeat and folders, so that one a
    // crash left running is found and cleaned up (review/training_export.h).
    {22, R"SQL(
ALTER TABLE annotations ADD COLUMN cons_grades_matched INTEGER;
ALTER TABLE annotations ADD COLUMN cons_grades_compared INTEGER;
ALTER TABLE training_exports ADD COLUMN heartbeat_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE training_exports ADD COLUMN out_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE training_exports ADD COLUMN partial_dir TEXT NOT NULL DEFAULT '';
)SQL"},
    // Each listen's watermark (privacy/watermark/watermark.h): a random
    // 32-bit number, unique, that the audio served under it carries and
    // `earshot trace` reads back. Listens from before have none.
    {23, R"SQL(
ALTER TABLE listens ADD COLUMN mark BIGINT;
CREATE UNIQUE INDEX listens_mark ON listens(mark);
)SQL"},
};

std::string Render(const char* sql, Dialect dialect) {
  std::string out(sql);
  const std::string token = "{{SERIAL_PK}}";
  const std::string serial =
      dialect == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  for (size_t pos; (pos = out.find(token)) != std::string::npos;)
    out.replace(pos, token.size(), serial);
  return out;
}

}  // namespace

int LatestSchemaVersion() {
  return kMigrations[std::size(kMigrations) - 1].version;
}

Status Migrate(Db& db) {
  // Several servers may start at once on one PostgreSQL: one migrates, the
  // others wait and then find nothing left to do.
  return db.WithExclusiveLock("migrate", [&db]() -> Status {
    RETURN_IF_ERROR(db.Write([](Tx& tx) {
      return tx.ExecScript(
          "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
          "applied_at BIGINT NOT NULL)");
    }));
    for (const Migration& m : kMigrations) {
      RETURN_IF_ERROR(db.Write([&](Tx& tx) -> Status {
        ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM schema_migrations WHERE version = ?",
                                             {static_cast<int64_t>(m.version)}));
        if (!rows.empty()) return Status::Ok();
        RETURN_IF_ERROR(tx.ExecScript(Render(m.sql, db.dialect())));
        return tx
            .Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)",
                  {static_cast<int64_t>(m.version)})
            .status();
      }));
    }
    return Status::Ok();
  });
}

}  // namespace earshot::store
