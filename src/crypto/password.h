// Password hashes for staff sign-in (staff/accounts.h): Argon2id from
// libsodium at its interactive limits, stored as the self-describing string
// crypto_pwhash_str writes (algorithm, limits and salt included), so a change
// of limits later still verifies old hashes. Thread-safe (stateless).
#pragma once

#include <string>

#include "util/status.h"

namespace earshot::crypto {

// Unavailable("pwhash_memory") when the hash's memory cannot be had.
Result<std::string> HashPassword(const std::string& password);

// Whether `password` matches `hash` (a HashPassword result); false for an
// empty or malformed hash. Costs one Argon2id evaluation either way.
bool PasswordHashMatches(const std::string& hash, const std::string& password);

}  // namespace earshot::crypto
