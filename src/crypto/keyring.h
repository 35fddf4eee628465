// The keyring: one master key (a 32-byte file, mode 0600) that wraps a data key
// per subject; data keys seal that subject's blobs and sensitive fields, so
// destroying the wrapped key crypto-shreds everything derived from the subject.
// Purpose keys (token signing, account lookup MACs) are derived from the master
// key with libsodium's KDF. Thread-safe after Open (immutable).
#pragma once

#include <memory>
#include <string>

#include "util/random.h"
#include "util/status.h"

namespace earshot::crypto {

class Keyring {
 public:
  // Loads the master key from `key_file`, creating it (32 random bytes, 0600)
  // if it does not exist and `create_if_missing` (else
  // NotFound("master_key_missing")). Corruption if the file exists with the
  // wrong size; Forbidden("master_key_mode") if it is readable by group or
  // others.
  static Result<std::unique_ptr<Keyring>> Open(const std::string& key_file, Random& rng,
                                               bool create_if_missing = true);
  // The master key given as 64 hexadecimal digits (EARSHOT_MASTER_KEY, for
  // hosts that take secrets from the environment), or
  // InvalidArgument("bad_master_key").
  static Result<std::unique_ptr<Keyring>> FromHex(const std::string& hex, Random& rng);

  // A value that names this master key without revealing it (a keyed hash
  // of a fixed text under a key derived from it). The database keeps the
  // first process's, so a process with another key refuses to start.
  std::string CheckValue() const;

  ~Keyring();
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  // A fresh random 32-byte data key.
  std::string NewDataKey() const;

  // Wraps/unwraps a data key under the master key, bound to `owner_id`.
  std::string Wrap(const std::string& data_key, const std::string& owner_id) const;
  Result<std::string> Unwrap(const std::string& wrapped, const std::string& owner_id) const;

  // A 32-byte key derived from the master key for a named purpose
  // (e.g. "subjtokn", "acctlkup"; exactly 8 characters, libsodium's KDF context).
  std::string DeriveKey(const char purpose[8], uint64_t subkey_id = 1) const;

  Random& rng() const { return rng_; }

 private:
  Keyring(std::string master, Random& rng) : master_(std::move(master)), rng_(rng) {}
  std::string master_;
  Random& rng_;
};

}  // namespace earshot::crypto
