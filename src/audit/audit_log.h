// The audit log: append-only events (sequence, time, actor pseudonym, action,
// object, details), each chained to the one before by a keyed BLAKE2b hash
// over the previous hash and the event. Editing, deleting or reordering rows
// breaks the chain at that row, and Verify names it.
//
// The chain fails closed (issue 11): events from before the chain existed
// are chained once, at the first start after migration 10, and never again;
// after that an event without a valid hash ("unsealed") or a gap in seq
// ("missing") is tampering. What the database alone cannot show (a log
// deleted or rewritten from scratch, events cut off the end) the anchor
// shows: the head is written at every sweep to a signed, append-only file
// outside the database (audit/anchor.h), and Verify checks every head in it.
//
// The key is derived from the master key ("auditlog"): someone with the
// database file but not the key cannot rebuild the chain after editing it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "store/db.h"

namespace earshot::audit {

// Appends an event in the caller's transaction, chained to the last event
// that transaction sees (writers are serialized, so the chain is linear).
// `actor` is a pseudonym or a role-qualified id ("subject", "stream:<id>",
// "reviewer-xxxx"); `details` must be content-free (no identifiers, no
// transcript text).
Status Append(store::Tx& tx, Context& ctx, const std::string& actor, const std::string& action,
              const std::string& object, const std::string& details = "");

// As Append, returning the new event's seq: the audit reference a page can
// show for the step it confirms ("audit event #1234").
Result<int64_t> AppendEvent(store::Tx& tx, Context& ctx, const std::string& actor,
                            const std::string& action, const std::string& object,
                            const std::string& details = "");

struct ChainHead {
  int64_t events = 0;
  int64_t seq = 0;   // of the last event; 0 for an empty log
  std::string hash;  // its hash; "" for an empty log
};

// What the anchor check found (VerifyOptions::check_anchor).
struct AnchorReport {
  bool checked = false;  // false where not asked for
  bool ok = true;
  std::string path;  // the anchor file read
  bool file_exists = false;
  int64_t lines = 0;
  int64_t heads = 0;         // lines that verified
  int64_t last_seq = 0;      // the last of them; 0 if none
  int64_t last_at_ms = 0;    // when it was anchored
  int64_t recorded_seq = 0;  // the last anchored seq the database remembers
  int64_t starts = 0;        // audit.anchor_started events in the log
  int64_t last_start_seq = 0;
  int64_t problems = 0;  // bad lines plus anchored heads not in the chain
  // The first problem: "anchor_file_missing", "anchor_malformed",
  // "anchor_bad_mac", "anchor_out_of_order", "anchored_head_replaced" (another
  // event now has that seq: the log was rewritten), "anchored_head_missing"
  // (the chain, as far as it is intact, ends before it), "anchor_truncated"
  // (heads the database or the chain says were anchored are not in the file).
  std::string reason;
  int64_t line = 0;  // its line in the file; 0 if none
  int64_t seq = 0;   // the anchored seq it concerns; 0 if none
};

struct VerifyResult {
  bool ok = true;         // chain intact, expected head present, anchor ok
  ChainHead head;         // as far as the chain is intact
  int64_t broken_at = 0;  // seq of the first event that does not verify
  // The chain's first problem: "missing" (no event with seq broken_at),
  // "unsealed" (no hash), "missing_or_reordered" (the link to the event
  // before does not match), "edited", "head_missing" (expected_head not in
  // the chain), "chain_state_missing" (the database no longer says the chain
  // was sealed); "" if none.
  std::string reason;
  std::optional<std::string> expected_head;  // as asked for
  AnchorReport anchor;
};

struct VerifyOptions {
  std::optional<std::string> expected_head;  // a hash from an audit_head log line
  bool check_anchor = true;                  // check the anchor file too
};

// Recomputes the whole chain and, by default, checks every head in the
// anchor file against it. With `expected_head`, also checks that an event
// with that hash is still in the chain. Errors only for I/O and database
// failures; tampering is in the result.
Result<VerifyResult> Verify(Context& ctx, const VerifyOptions& options = {});

// What Verify checked and found, as lines for an operator (no newlines),
// e.g. "chain: 1234 events, seq 1..1234, intact".
std::vector<std::string> Describe(const VerifyResult& result);

// The current head (for publishing to the logs).
Result<ChainHead> Head(Context& ctx);

// The one-time chaining of events written before the chain existed (schema
// v4), at the first start after migration 10: only when no event has a hash,
// none records an anchor and there is no anchor file; then, and in every
// other case, the chain is marked sealed (audit_chain_state) and this is a
// no-op from then on. Run at every start. An unchained event in a sealed
// log is left for Verify to report.
Status ChainUnchainedEvents(Context& ctx);

}  // namespace earshot::audit
