// The audit log: append-only events (who, what, which object). Hash chaining
// and its verifier arrive with staff security; the table and call sites are
// here so every access is recorded from the start.
#pragma once

#include <string>

#include "app/context.h"
#include "store/db.h"

namespace earshot::audit {

// Appends an event in the caller's transaction. `actor` is a pseudonym or a
// role-qualified id ("subject", "stream:<id>", "reviewer-xxxx"); `details`
// must be content-free (no identifiers, no transcript text).
Status Append(store::Tx& tx, Context& ctx, const std::string& actor, const std::string& action,
              const std::string& object, const std::string& details = "");

}  // namespace earshot::audit
