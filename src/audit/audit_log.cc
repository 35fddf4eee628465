#include "audit/audit_log.h"

#include "crypto/seal.h"

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
  ASSIGN_OR_RETURN(std::string prev, LastHash(tx));
  const int64_t at = ctx.clock().NowMs();
  RETURN_IF_ERROR(tx.Exec("INSERT INTO audit_events (at, actor, action, object, details, "
                          "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, '')",
                          {at, actor, action, object, details, prev})
                      .status());
  // The sequence number is part of what is hashed: read it back.
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT MAX(seq) FROM audit_events", {}));
  const int64_t seq = rows[0].Int(0);
  const std::string hash =
      crypto::MacHex(ChainKey(ctx), Canonical(prev, seq, at, actor, action, object, details));
  return tx.Exec("UPDATE audit_events SET hash = ? WHERE seq = ?", {hash, seq}).status();
}

Result<VerifyResult> Verify(Context& ctx, const std::optional<std::string>& expected_head) {
  VerifyResult result;
  const std::string key = ChainKey(ctx);
  bool head_seen = false;
  Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT seq, at, actor, action, object, details, "
                                         "prev_hash, hash FROM audit_events ORDER BY seq",
                                         {}));
    std::string prev;
    for (const auto& row : rows) {
      const int64_t seq = row.Int(0);
      const std::string stored_prev = row.Text(6), stored_hash = row.Text(7);
      const std::string expected =
          crypto::MacHex(key, Canonical(stored_prev, seq, row.Int(1), row.Text(2), row.Text(3),
                                        row.Text(4), row.Text(5)));
      if (!crypto::ConstantTimeEquals(stored_prev, prev)) {
        result = {false, result.head, seq, "missing_or_reordered"};
        return Status::Ok();
      }
      if (!crypto::ConstantTimeEquals(stored_hash, expected)) {
        result = {false, result.head, seq, "edited"};
        return Status::Ok();
      }
      prev = stored_hash;
      head_seen = head_seen || (expected_head && stored_hash == *expected_head);
      result.head = {result.head.events + 1, seq, stored_hash};
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  if (result.ok && expected_head && !head_seen) {
    result.ok = false;
    result.broken_at = result.head.seq + 1;
    result.reason = "head_missing";
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

Status ChainUnchainedEvents(Context& ctx) {
  const std::string key = ChainKey(ctx);
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto unchained,
                     tx.Query("SELECT 1 FROM audit_events WHERE hash = '' LIMIT 1", {}));
    if (unchained.empty()) return Status::Ok();
    // Only a log that was never chained (written before schema v4) is
    // chained here. An unchained row in a chained log is tampering: sealing
    // it would bless the edit; Verify reports it instead.
    ASSIGN_OR_RETURN(auto chained,
                     tx.Query("SELECT 1 FROM audit_events WHERE hash <> '' LIMIT 1", {}));
    if (!chained.empty()) return Status::Ok();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT seq, at, actor, action, object, details, hash "
                                         "FROM audit_events ORDER BY seq",
                                         {}));
    std::string prev;
    for (const auto& row : rows) {
      const int64_t seq = row.Int(0);
      const std::string hash = crypto::MacHex(
          key,
          Canonical(prev, seq, row.Int(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)));
      RETURN_IF_ERROR(tx.Exec("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?",
                              {prev, hash, seq})
                          .status());
      prev = hash;
    }
    return Status::Ok();
  });
}

}  // namespace earshot::audit
