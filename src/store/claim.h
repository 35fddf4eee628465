// Claiming rows of a work queue (a de-identification job, a review task)
// among workers and servers that race for them: the one place where the
// dialects lock rows differently.
//
// A claim is two statements in one Write:
//   1. SELECT candidates ... ORDER BY ... LIMIT n  + ForClaim(tx, "t")
//   2. UPDATE the chosen row, guarded by the state that was read
//      (WHERE id = ? AND state = 'queued' ...), and ClaimedOne(changed).
// On PostgreSQL, ForClaim adds FOR UPDATE OF <alias> SKIP LOCKED: a row
// another transaction is claiming is passed over instead of waited for, so
// N workers take N different rows at once. On SQLite it adds nothing: one
// writer runs at a time. The guard and ClaimedOne make a lost race a retry
// (on any backend and any isolation level), never a second claim.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "store/db.h"

namespace earshot::store {

// The row-lock clause that ends a claim's SELECT (with a leading space), or "".
std::string ForClaim(const Tx& tx, std::string_view alias);

// Ok if the guarded UPDATE changed exactly one row; otherwise
// Unavailable("claim_lost"), which the backends re-run like a
// serialization conflict.
Status ClaimedOne(int64_t changed);

}  // namespace earshot::store
