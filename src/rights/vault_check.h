// The check `earshot migrate-store` ends with (cli/migrate_store.cc): every
// sealed copy the target deployment's rows reference is in the target's blob
// store, equal byte for byte to the source's, and opens with the keys the
// target's rows hold (a recording under its subject's key; a clip under its
// own key, which the subject's key wraps). So a copy that lost a key, a blob
// or a byte is caught before the operator switches over.
#pragma once

#include <cstdint>

#include "app/context.h"
#include "util/status.h"

namespace earshot::rights {

// How many sealed copies were checked; the first that fails, as
// Corruption("blob_missing" | "blob_differs" | "blob_undecryptable").
Result<int64_t> VerifySealedCopies(Context& source, Context& target);

}  // namespace earshot::rights
