#include "audit/audit_log.h"

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "audit/anchor.h"
#include "audit/chain_state.h"
#include "crypto/seal.h"
#include "util/fs.h"

namespace earshot::audit {
namespace {

// The hashed form of an event: every field length-prefixed, so no two
// different events serialize alike.
std::string Canonical(const std::string& prev_hash, int64_t seq, int64_t at,
                      const std::string& actor, const std::string& action,
                      const std::string& object, const std::string& details) {
  std::string out;
  for (const std::string& field :
       {prev_hash, std::to_string(seq), std::to_string(at), actor, action, object, details}) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
  }
  return out;
}

std::string ChainKey(Context& ctx) {
  return ctx.keys().DeriveKey("auditlog");
}

Result<std::string> LastHash(store::Tx& tx) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1", {}));
  return rows.empty() ? std::string() : rows[0].Text(0);
}

}  // namespace

Status Append(store::Tx& tx, Context& ctx, const std::string& actor, const std::string& action,
              const std::string& object, const std::string& details) {
  return AppendEvent(tx, ctx, actor, action, object, details).status();
}

Result<int64_t> AppendEvent(store::Tx& tx, Context& ctx, const std::string& actor,
                            const std::string& action, const std::string& object,
                            const std::string& details) {
  // The head row is the chain's lock: the UPDATE takes it, so appenders in
  // concurrent transactions (other threads, other servers on PostgreSQL)
  // queue behind each other instead of both following one event, and
  // RETURNING hands back the new sequence number and the hash it follows.
  ASSIGN_OR_RETURN(auto head, tx.Query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 "
                                       "RETURNING seq, hash",
                                       {}));
  if (head.empty()) {
    return Corruption("audit_head_missing", "the audit chain's head row is missing");
  }
  const int64_t seq = head[0].Int(0);
  const std::string prev = head[0].Text(1);
  const int64_t at = ctx.clock().NowMs();
  const std::string hash =
      crypto::MacHex(ChainKey(ctx), Canonical(prev, seq, at, actor, action, object, details));
  RETURN_IF_ERROR(tx.Exec("INSERT INTO audit_events (seq, at, actor, action, object, details, "
                          "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          {seq, at, actor, action, object, details, prev, hash})
                      .status());
  RETURN_IF_ERROR(tx.Exec("UPDATE audit_head SET hash = ? WHERE id = 1", {hash}).status());
  return seq;
}

namespace {

// How far the chain verifies, and which anchored heads it holds.
struct ChainWalk {
  ChainHead head;  // the last event that verifies
  int64_t broken_at = 0;
  std::string reason;
  bool expected_head_seen = false;
  int64_t starts = 0, last_start_seq = 0;  // audit.anchor_started events, in every row
  enum class Anchored : char { kNotReached, kPresent, kReplaced };
  std::vector<Anchored> anchored;  // per AnchorFile::heads entry
};

// The first problem with `row` as the event after `prev_hash`, which must
// have seq `expected_seq`; "" if it verifies.
std::string CheckEvent(const store::Row& row, int64_t expected_seq, const std::string& prev_hash,
                       const std::string& key) {
  const int64_t seq = row.Int(0);
  if (seq != expected_seq) return "missing";
  const std::string stored_prev = row.Text(6), stored_hash = row.Text(7);
  if (stored_hash.empty()) return "unsealed";
  if (!crypto::ConstantTimeEquals(stored_prev, prev_hash)) return "missing_or_reordered";
  const std::string expected = crypto::MacHex(
      key,
      Canonical(stored_prev, seq, row.Int(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)));
  if (!crypto::ConstantTimeEquals(stored_hash, expected)) return "edited";
  return "";
}

// Walks the events in seq order (from 1) up to the first that does not
// verify, noting each anchored head it meets.
ChainWalk Walk(const std::vector<store::Row>& rows, const std::string& key,
               const std::vector<AnchoredHead>& anchored,
               const std::optional<std::string>& expected_head) {
  ChainWalk walk;
  walk.anchored.assign(anchored.size(), ChainWalk::Anchored::kNotReached);
  std::unordered_map<int64_t, size_t> by_seq;
  for (size_t i = 0; i < anchored.size(); ++i) by_seq[anchored[i].seq] = i;
  // Every anchor start counts, verified or not: any of them says a file
  // was kept (a forged one can only raise a false alarm).
  for (const auto& row : rows) {
    if (row.Text(3) != kAnchorStartedAction) continue;
    ++walk.starts;
    walk.last_start_seq = row.Int(0);
  }
  for (const auto& row : rows) {
    const int64_t seq = walk.head.seq + 1;
    std::string problem = CheckEvent(row, seq, walk.head.hash, key);
    if (!problem.empty()) {
      walk.broken_at = seq;
      walk.reason = std::move(problem);
      return walk;
    }
    const std::string hash = row.Text(7);
    if (auto it = by_seq.find(seq); it != by_seq.end()) {
      walk.anchored[it->second] = crypto::ConstantTimeEquals(hash, anchored[it->second].hash)
                                      ? ChainWalk::Anchored::kPresent
                                      : ChainWalk::Anchored::kReplaced;
    }
    walk.expected_head_seen = walk.expected_head_seen || (expected_head && hash == *expected_head);
    walk.head = {walk.head.events + 1, seq, hash};
  }
  return walk;
}

// Counts a problem; the first one is the one named.
void Note(AnchorReport& report, const char* reason, int64_t line, int64_t seq) {
  report.ok = false;
  if (report.problems++ > 0) return;
  report.reason = reason;
  report.line = line;
  report.seq = seq;
}

// Every anchored head must be in the intact chain with its hash; the file
// must exist, and reach the heads the database and the chain say were
// anchored.
AnchorReport CheckAnchor(const std::string& path, const AnchorFile& file, const ChainWalk& walk,
                         int64_t remembered_seq) {
  AnchorReport r;
  r.checked = true;
  r.path = path;
  r.file_exists = file.exists;
  r.lines = file.lines;
  r.heads = static_cast<int64_t>(file.heads.size());
  if (!file.heads.empty()) {
    r.last_seq = file.heads.back().seq;
    r.last_at_ms = file.heads.back().at_ms;
  }
  r.recorded_seq = remembered_seq;
  r.starts = walk.starts;
  r.last_start_seq = walk.last_start_seq;
  if (!file.exists && (remembered_seq > 0 || walk.starts > 0))
    Note(r, "anchor_file_missing", 0, std::max(remembered_seq, walk.last_start_seq));
  for (int64_t i = 0; i < file.bad_lines; ++i)
    Note(r, file.first_bad_reason.c_str(), file.first_bad_line, 0);
  for (size_t i = 0; i < file.heads.size(); ++i) {
    if (walk.anchored[i] == ChainWalk::Anchored::kPresent) continue;
    Note(r,
         walk.anchored[i] == ChainWalk::Anchored::kReplaced ? "anchored_head_replaced"
                                                            : "anchored_head_missing",
         file.heads[i].line, file.heads[i].seq);
  }
  const int64_t should_reach = std::max(remembered_seq, walk.last_start_seq);
  if (file.exists && should_reach > r.last_seq) Note(r, "anchor_truncated", 0, should_reach);
  return r;
}

VerifyResult Finish(const ChainWalk& walk, const ChainState& state, const VerifyOptions& options) {
  VerifyResult result;
  result.head = walk.head;
  result.expected_head = options.expected_head;
  result.broken_at = walk.broken_at;
  result.reason = walk.reason;
  if (result.reason.empty() && options.expected_head && !walk.expected_head_seen) {
    result.broken_at = walk.head.seq + 1;
    result.reason = "head_missing";
  }
  if (result.reason.empty() && !(state.present && state.sealed))
    result.reason = "chain_state_missing";
  result.ok = result.reason.empty();
  return result;
}

}  // namespace

Result<VerifyResult> Verify(Context& ctx, const VerifyOptions& options) {
  // Read in the order they are written (database's anchored seq, then the
  // file, then the events), so that a sweep anchoring meanwhile can only
  // make a later read hold more, never make an earlier one look short.
  ChainState remembered;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(remembered, ReadChainState(tx));
    return Status::Ok();
  }));
  const std::string& path = ctx.config().audit_anchor_file;
  AnchorFile anchors;
  if (options.check_anchor) {
    ASSIGN_OR_RETURN(anchors, ReadAnchorFile(path, ctx.keys()));
  }
  const std::string key = ChainKey(ctx);
  ChainState state;
  ChainWalk walk;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(state, ReadChainState(tx));
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT seq, at, actor, action, object, details, "
                                         "prev_hash, hash FROM audit_events ORDER BY seq",
                                         {}));
    walk = Walk(rows, key, anchors.heads, options.expected_head);
    return Status::Ok();
  }));
  VerifyResult result = Finish(walk, state, options);
  if (options.check_anchor) {
    result.anchor = CheckAnchor(path, anchors, walk, remembered.anchored_seq);
    result.ok = result.ok && result.anchor.ok;
  }
  return result;
}

Result<ChainHead> Head(Context& ctx) {
  ChainHead head;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT COUNT(*), MAX(seq) FROM audit_events", {}));
    head.events = rows[0].Int(0);
    if (head.events == 0) return Status::Ok();
    head.seq = rows[0].Int(1);
    ASSIGN_OR_RETURN(head.hash, LastHash(tx));
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return head;
}

namespace {

// Whether this is a log from before the chain existed: no event has a hash,
// and nothing says an anchor was ever kept (a chained log blanked and its
// seal flag removed looks the same inside the database; the anchor file and
// its start event do not).
Result<bool> IsPreChainLog(store::Tx& tx, bool anchor_evidence) {
  if (anchor_evidence) return false;
  ASSIGN_OR_RETURN(auto chained,
                   tx.Query("SELECT 1 FROM audit_events WHERE hash <> '' LIMIT 1", {}));
  if (!chained.empty()) return false;
  ASSIGN_OR_RETURN(int64_t started, LastAnchorStart(tx));
  return started == 0;
}

// Chains every event in seq order; returns how many.
Result<int64_t> ChainAll(store::Tx& tx, const std::string& key) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT seq, at, actor, action, object, details "
                                       "FROM audit_events ORDER BY seq",
                                       {}));
  std::string prev;
  for (const auto& row : rows) {
    const int64_t seq = row.Int(0);
    const std::string hash = crypto::MacHex(
        key, Canonical(prev, seq, row.Int(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)));
    RETURN_IF_ERROR(
        tx.Exec("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?", {prev, hash, seq})
            .status());
    prev = hash;
  }
  const int64_t last = rows.empty() ? 0 : rows.back().Int(0);
  RETURN_IF_ERROR(
      tx.Exec("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", {last, prev}).status());
  return static_cast<int64_t>(rows.size());
}

}  // namespace

Status ChainUnchainedEvents(Context& ctx) {
  const std::string key = ChainKey(ctx);
  const bool anchor_file = FileExists(ctx.config().audit_anchor_file);
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(ChainState state, ReadChainState(tx));
    // Sealed: never again. No row: it was deleted (migration 10 makes it),
    // and nothing is chained; Verify reports it.
    if (!state.present || state.sealed) return Status::Ok();
    ASSIGN_OR_RETURN(bool pre_chain, IsPreChainLog(tx, anchor_file || state.anchored_seq > 0));
    int64_t chained = 0;
    if (pre_chain) {
      ASSIGN_OR_RETURN(chained, ChainAll(tx, key));
    }
    return SealChainState(tx, ctx.clock().NowMs(), chained);
  });
}

}  // namespace earshot::audit
