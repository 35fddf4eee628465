#include "crypto/keyring.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstring>

#include "crypto/seal.h"
#include "util/fs.h"

namespace earshot::crypto {

Result<std::unique_ptr<Keyring>> Keyring::Open(const std::string& key_file, Random& rng) {
  if (sodium_init() < 0) return Internal("sodium_init", "libsodium failed to initialise");
  if (!FileExists(key_file)) {
    std::string fresh(kKeyBytes, '\0');
    rng.Fill(reinterpret_cast<uint8_t*>(fresh.data()), fresh.size());
    RETURN_IF_ERROR(WriteFileDurable(key_file, fresh, 0600));
  }
  struct stat st;
  if (::stat(key_file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    return Forbidden("master_key_mode",
                     "master key file " + key_file + " is readable by others; chmod 600 it");
  }
  ASSIGN_OR_RETURN(std::string master, ReadFile(key_file));
  if (master.size() != kKeyBytes) {
    return Corruption("master_key_size", "master key file " + key_file + " must hold exactly " +
                                             std::to_string(kKeyBytes) + " bytes");
  }
  return std::unique_ptr<Keyring>(new Keyring(std::move(master), rng));
}

Keyring::~Keyring() {
  sodium_memzero(master_.data(), master_.size());
}

std::string Keyring::NewDataKey() const {
  std::string key(kKeyBytes, '\0');
  rng_.Fill(reinterpret_cast<uint8_t*>(key.data()), key.size());
  return key;
}

std::string Keyring::Wrap(const std::string& data_key, const std::string& owner_id) const {
  return Seal(master_, data_key, "wrap:" + owner_id, rng_);
}

Result<std::string> Keyring::Unwrap(const std::string& wrapped, const std::string& owner_id) const {
  return crypto::Open(master_, wrapped, "wrap:" + owner_id);
}

std::string Keyring::DeriveKey(const char purpose[8], uint64_t subkey_id) const {
  std::string out(kKeyBytes, '\0');
  char ctx[crypto_kdf_CONTEXTBYTES];
  std::memcpy(ctx, purpose, sizeof ctx);
  crypto_kdf_derive_from_key(reinterpret_cast<unsigned char*>(out.data()), out.size(), subkey_id,
                             ctx, reinterpret_cast<const unsigned char*>(master_.data()));
  return out;
}

}  // namespace earshot::crypto
