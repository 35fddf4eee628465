// The audit log: append-only events (sequence, time, actor pseudonym, action,
// object, details), each chained to the one before by a keyed BLAKE2b hash
// over the previous hash and the event. Editing, deleting or reordering rows
// breaks the chain at that row, and Verify names it. Cutting events off the
// end leaves a valid but shorter chain: the server logs the head hash
// periodically ("audit_head"), and Verify with a head taken from the logs
// shows whether that event is still there.
//
// The key is derived from the master key ("auditlog"): someone with the
// database file but not the key cannot rebuild the chain after editing it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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

struct ChainHead {
  int64_t events = 0;
  int64_t seq = 0;   // of the last event; 0 for an empty log
  std::string hash;  // its hash; "" for an empty log
};

struct VerifyResult {
  bool ok = true;
  ChainHead head;         // as far as the chain is intact
  int64_t broken_at = 0;  // seq of the first event that does not verify
  std::string reason;     // "edited", "missing_or_reordered", "head_missing", ...
};

// Recomputes the whole chain. With `expected_head` (a hash from the logs),
// also checks that an event with that hash is still in the chain.
Result<VerifyResult> Verify(Context& ctx, const std::optional<std::string>& expected_head = {});

// The current head (for publishing to the logs).
Result<ChainHead> Head(Context& ctx);

// Chains events written before the chain existed (schema v4), in seq order:
// only when no event has a hash yet. Run at every start; a no-op otherwise
// (an unchained event in a chained log is left for Verify to report).
Status ChainUnchainedEvents(Context& ctx);

}  // namespace earshot::audit
