#include "ingest/streams.h"

#include <cctype>

#include "audit/audit_log.h"
#include "crypto/seal.h"
#include "ingest/region_codes.h"
#include "privacy/anonymize/anonymizer.h"

namespace earshot::ingest {
namespace {

constexpr const char* kStreamColumns =
    "id, name, region, wake_word, sample_rate, retention_default, max_clip_ms, max_recording_ms, "
    "tenant, use_product_words, bleep, wake_threshold, anonymize_chain, double_review, "
    "disagreement_wer, on_disagreement, gold_share";

Stream StreamFromRow(const store::Row& row) {
  Stream s;
  s.id = row.Text(0);
  s.spec.name = row.Text(1);
  s.spec.region = row.Text(2);
  if (!row.IsNull(3)) s.spec.wake_word = row.Text(3);
  s.spec.sample_rate = row.Real(4);
  s.spec.retention_default = row.Text(5);
  s.spec.max_clip_ms = row.Int(6);
  s.spec.max_recording_ms = row.Int(7);
  s.spec.tenant = row.Text(8);
  s.spec.use_product_words = row.Int(9) != 0;
  s.spec.bleep = row.Text(10);
  s.spec.wake_threshold = row.Real(11);
  s.spec.anonymize_chain = row.Text(12);
  s.spec.double_review = row.Real(13);
  s.spec.disagreement_wer = row.Real(14);
  s.spec.on_disagreement = row.Text(15);
  s.spec.gold_share = row.Real(16);
  return s;
}

Result<Stream> FindBy(store::Tx& tx, const std::string& column, const std::string& value) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(std::string("SELECT ") + kStreamColumns +
                                           " FROM streams WHERE " + column + " = ?",
                                       {value}));
  if (rows.empty()) return NotFound("unknown_stream", "no such stream");
  return StreamFromRow(rows[0]);
}

bool IsValidName(const std::string& name, size_t max_len) {
  if (name.empty() || name.size() > max_len) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

Status ValidateSpec(const StreamSpec& spec) {
  if (!IsValidName(spec.name, 64)) {
    return InvalidArgument("bad_stream_name",
                           "stream name must be 1-64 characters of letters, digits, '.', '_', '-'");
  }
  if (!IsValidName(spec.tenant, 64)) {
    return InvalidArgument("bad_tenant", "tenant must be 1-64 letters, digits, '.', '_', '-'");
  }
  if (!(spec.sample_rate >= 0.0 && spec.sample_rate <= 1.0)) {
    return InvalidArgument("bad_rate", "sampling rate must be between 0 and 1");
  }
  if (!(spec.double_review >= 0.0 && spec.double_review <= 1.0)) {
    return InvalidArgument("bad_double_review", "double review must be a fraction from 0 to 1");
  }
  if (!(spec.disagreement_wer >= 0.0 && spec.disagreement_wer <= 1.0)) {
    return InvalidArgument("bad_disagreement_wer",
                           "disagreement WER must be a fraction from 0 to 1, e.g. 0.2");
  }
  if (!(spec.gold_share >= 0.0 && spec.gold_share <= 0.5)) {
    return InvalidArgument("bad_gold_share", "gold share must be a fraction from 0 to 0.5");
  }
  if (spec.on_disagreement != "third_review" && spec.on_disagreement != "adjudicate") {
    return InvalidArgument("bad_on_disagreement",
                           "on_disagreement must be third_review or adjudicate");
  }
  if (!IsValidRetention(spec.retention_default)) {
    return InvalidArgument("bad_retention", "retention must be 3m, 18m or never");
  }
  if (spec.max_clip_ms <= 0 || spec.max_recording_ms <= 0) {
    return InvalidArgument("bad_length", "clip and recording lengths must be positive");
  }
  if (spec.max_clip_ms > kMaxClipMs) {
    return InvalidArgument("bad_length", "a clip is at most 10 s (minimum necessary)");
  }
  if (spec.bleep != "tone" && spec.bleep != "silence") {
    return InvalidArgument("bad_bleep", "bleep must be tone or silence");
  }
  if (!(spec.wake_threshold > 0 && spec.wake_threshold < 1)) {
    return InvalidArgument("bad_wake_threshold", "wake threshold must be in (0, 1), e.g. 1e-20");
  }
  if (spec.wake_word && (spec.wake_word->empty() || spec.wake_word->size() > 64)) {
    return InvalidArgument("bad_wake_word", "wake word must be 1-64 characters");
  }
  privacy::anonymize::AnonymizeSettings anonymize;
  anonymize.chain = spec.anonymize_chain;
  return privacy::anonymize::ValidateSettings(anonymize);
}

// `spec` checked, with its region code in upper case.
Result<StreamSpec> CheckedSpec(StreamSpec spec) {
  ASSIGN_OR_RETURN(spec.region, NormalizeRegionCode(spec.region));
  RETURN_IF_ERROR(ValidateSpec(spec));
  return spec;
}

}  // namespace

bool IsValidRetention(const std::string& r) {
  return r == "3m" || r == "18m" || r == "never";
}

std::optional<int64_t> RetentionDays(const std::string& r) {
  if (r == "3m") return 90;
  if (r == "18m") return 548;
  return std::nullopt;
}

Result<CreatedStream> CreateStream(Context& ctx, const StreamSpec& requested,
                                   const std::string& actor) {
  ASSIGN_OR_RETURN(const StreamSpec spec, CheckedSpec(requested));
  CreatedStream created;
  created.stream.id = NewId(ctx.rng(), "str");
  created.stream.spec = spec;
  created.api_key = "esk_" + NewSecret(ctx.rng());
  Status st = ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto existing, tx.Query("SELECT 1 FROM streams WHERE name = ?", {spec.name}));
    if (!existing.empty()) return Conflict("stream_exists", "a stream with this name exists");
    store::Value wake = spec.wake_word ? store::Value(*spec.wake_word) : store::Null();
    RETURN_IF_ERROR(audit::Append(tx, ctx, actor, "stream.create", created.stream.id,
                                  "anonymize=" + spec.anonymize_chain));
    return tx
        .Exec(
            "INSERT INTO streams (id, name, tenant, region, wake_word, sample_rate, "
            "retention_default, max_clip_ms, max_recording_ms, use_product_words, bleep, "
            "wake_threshold, anonymize_chain, double_review, disagreement_wer, on_disagreement, "
            "gold_share, api_key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?)",
            {created.stream.id, spec.name, spec.tenant, spec.region, wake, spec.sample_rate,
             spec.retention_default, spec.max_clip_ms, spec.max_recording_ms,
             int64_t{spec.use_product_words ? 1 : 0}, spec.bleep, spec.wake_threshold,
             spec.anonymize_chain, spec.double_review, spec.disagreement_wer, spec.on_disagreement,
             spec.gold_share, crypto::HashHex(created.api_key), ctx.clock().NowMs()})
        .status();
  });
  RETURN_IF_ERROR(st);
  return created;
}

Result<Stream> AuthenticateStream(store::Tx& tx, const std::string& api_key) {
  if (api_key.empty()) return Unauthenticated("missing_api_key", "an API key is required");
  auto found = FindBy(tx, "api_key_hash", crypto::HashHex(api_key));
  if (!found.ok() && found.status().code() == Code::kNotFound) {
    return Unauthenticated("bad_api_key", "the API key is not valid");
  }
  return found;
}

Result<Stream> FindStreamByName(store::Tx& tx, const std::string& name) {
  return FindBy(tx, "name", name);
}

Result<Stream> FindStreamById(store::Tx& tx, const std::string& id) {
  return FindBy(tx, "id", id);
}

Result<std::vector<Stream>> ListStreams(Context& ctx) {
  std::vector<Stream> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(
        auto rows,
        tx.Query(std::string("SELECT ") + kStreamColumns + " FROM streams ORDER BY name", {}));
    for (const auto& row : rows) out.push_back(StreamFromRow(row));
    return Status::Ok();
  }));
  return out;
}

Status UpdateStream(Context& ctx, const StreamSpec& requested, const std::string& actor) {
  ASSIGN_OR_RETURN(const StreamSpec spec, CheckedSpec(requested));
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    const store::Value wake =
        spec.wake_word ? store::Value(*spec.wake_word) : store::Value(std::monostate{});
    ASSIGN_OR_RETURN(
        int64_t changed,
        tx.Exec("UPDATE streams SET region = ?, wake_word = ?, sample_rate = ?, "
                "retention_default = ?, max_clip_ms = ?, anonymize_chain = ?, "
                "double_review = ?, disagreement_wer = ?, on_disagreement = ?, gold_share = ? "
                "WHERE name = ?",
                {spec.region, wake, spec.sample_rate, spec.retention_default, spec.max_clip_ms,
                 spec.anonymize_chain, spec.double_review, spec.disagreement_wer,
                 spec.on_disagreement, spec.gold_share, spec.name}));
    if (changed == 0) return NotFound("unknown_stream", "no such stream");
    return audit::Append(tx, ctx, actor, "policy.stream_update", spec.name);
  });
}

Result<std::vector<std::string>> PausedRegions(Context& ctx) {
  std::vector<std::string> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT region FROM paused_regions ORDER BY region", {}));
    for (const auto& row : rows) out.push_back(row.Text(0));
    return Status::Ok();
  }));
  return out;
}

Status PauseRegion(Context& ctx, const std::string& region, const std::string& actor) {
  ASSIGN_OR_RETURN(const std::string code, NormalizeRegionCode(region));
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO paused_regions (region, paused_at) VALUES (?, ?) "
                            "ON CONFLICT (region) DO NOTHING",
                            {code, ctx.clock().NowMs()})
                        .status());
    return audit::Append(tx, ctx, actor, "policy.pause_region", code);
  });
}

Status ResumeRegion(Context& ctx, const std::string& region, const std::string& actor) {
  const auto code = NormalizeRegionCode(region);
  // A pause stored before codes were checked (migration 14 upper-cased it)
  // can still be lifted by its name; no other text is a region.
  const std::string key = code.ok() ? *code : AsciiUpper(region);
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(int64_t removed,
                     tx.Exec("DELETE FROM paused_regions WHERE region = ?", {key}));
    if (removed == 0 && !code.ok()) return code.status();
    return audit::Append(tx, ctx, actor, "policy.resume_region", key);
  });
}

Result<bool> IsRegionPaused(store::Tx& tx, const std::string& region) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM paused_regions WHERE region = ?", {region}));
  return !rows.empty();
}

Result<Stream> AuthenticateStream(Context& ctx, const std::string& api_key) {
  Stream stream;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(stream, AuthenticateStream(tx, api_key));
    return Status::Ok();
  }));
  return stream;
}

Result<Stream> FindStreamByName(Context& ctx, const std::string& name) {
  Stream stream;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(stream, FindStreamByName(tx, name));
    return Status::Ok();
  }));
  return stream;
}

}  // namespace earshot::ingest
