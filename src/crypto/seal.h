// Authenticated encryption of blobs and fields: XChaCha20-Poly1305 (IETF) from
// libsodium. A sealed value is nonce (24 bytes) || ciphertext || tag (16 bytes).
// The associated data binds a ciphertext to the object it belongs to (e.g. a
// recording id), so a sealed blob cannot be swapped onto another row.
// Thread-safe (stateless).
#pragma once

#include <string>
#include <string_view>

#include "util/random.h"
#include "util/status.h"

namespace earshot::crypto {

constexpr size_t kKeyBytes = 32;

// REQUIRES: key.size() == kKeyBytes.
std::string Seal(std::string_view key, std::string_view plaintext, std::string_view ad,
                 Random& rng);

// Corruption("decrypt_failed") if the key, associated data or bytes do not match.
Result<std::string> Open(std::string_view key, std::string_view sealed, std::string_view ad);

// Seal/Open for database fields: the sealed bytes as base64url text.
std::string SealText(std::string_view key, std::string_view plaintext, std::string_view ad,
                     Random& rng);
Result<std::string> OpenText(std::string_view key, std::string_view sealed_text,
                             std::string_view ad);

// Keyed BLAKE2b-256 of `message`; hex. REQUIRES: key.size() == kKeyBytes.
std::string MacHex(std::string_view key, std::string_view message);

// Keyed BLAKE2b of `message`, `out_bytes` (16-64) raw bytes; the key may be
// 16-64 bytes. For keyed draws (ingest/sampler.h), not for sealing.
std::string KeyedHash(std::string_view key, std::string_view message, size_t out_bytes);

// Unkeyed BLAKE2b-256; hex. For storing hashes of bearer secrets.
std::string HashHex(std::string_view message);

// Constant-time comparison of equal-length strings; false if lengths differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace earshot::crypto
