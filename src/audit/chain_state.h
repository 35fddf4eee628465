// The audit chain's one row of state (migration 10), shared by the chain
// (audit_log.cc) and its anchor (anchor.cc); internal to audit/. The row is
// in the database, so it only helps against someone who edits the anchor
// file alone; the anchor file is what catches edits of the database.
#pragma once

#include <cstdint>

#include "store/db.h"

namespace earshot::audit {

// The action of the event appended when an anchor file is started: the
// chain itself then says that a file with a head at or after it must exist.
inline constexpr char kAnchorStartedAction[] = "audit.anchor_started";

struct ChainState {
  bool present = false;      // false: the row was deleted (migration 10 makes it)
  bool sealed = false;       // the one-time chaining has run; never again
  int64_t anchored_seq = 0;  // the last head written to the anchor file
  int64_t anchored_at = 0;   // when (Unix ms)
};

Result<ChainState> ReadChainState(store::Tx& tx);

// Marks the one-time chaining done, `pre_chain_events` chained by it.
Status SealChainState(store::Tx& tx, int64_t at_ms, int64_t pre_chain_events);

// Remembers that the head at `seq` was anchored (never lowers the seq).
Status RecordAnchoredHead(store::Tx& tx, int64_t seq, int64_t at_ms);

// The seq of the last audit.anchor_started event; 0 if there is none.
Result<int64_t> LastAnchorStart(store::Tx& tx);

}  // namespace earshot::audit
