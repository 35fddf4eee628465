// Subject tokens: what a product hands a person so they can use their rights.
// Signed (keyed BLAKE2b under a key derived from the master key), expiring,
// naming the internal subject id only. Stateless; thread-safe.
#pragma once

#include <string>

#include "app/context.h"

namespace earshot::rights {

// Mints a token for the subject of `account` in `tenant` (created if new, so consent choices
// can be made before any recording), valid for `ttl_ms` (capped by config).
// InvalidArgument for an empty account or a non-positive ttl.
Result<std::string> MintSubjectToken(Context& ctx, const std::string& tenant,
                                     const std::string& account, int64_t ttl_ms);

// The subject id a token names. Unauthenticated("bad_subject_token") if
// malformed or forged, Unauthenticated("expired_subject_token") if expired,
// Unauthenticated("unknown_subject") if the subject was erased.
Result<std::string> VerifySubjectToken(Context& ctx, const std::string& token);

}  // namespace earshot::rights
