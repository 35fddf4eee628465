#include "crypto/keyring.h"

#include <sodium.h>
#include <sys/stat.h>

#include <cstring>

#include "crypto/seal.h"
#include "util/fs.h"

namespace earshot::crypto {

Result<std::unique_ptr<Keyring>> Keyring::Open(const std::string& key_file, Random& rng,
                                               bool create_if_missing) {
  if (sodium_init() < 0) return Internal("sodium_init", "libsodium failed to initialise");
  if (!FileExists(key_file) && !create_if_missing) {
    return NotFound("master_key_missing",
                    "no master key at " + key_file +
                        ", and the database already belongs to a deployment: copy master.key "
                        "from one of its hosts there (mode 0600), or set "
                        "EARSHOT_MASTER_KEY_FILE or EARSHOT_MASTER_KEY (docs/operations.md, "
                        "\"The master key\")");
  }
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

Result<std::unique_ptr<Keyring>> Keyring::FromHex(const std::string& hex, Random& rng) {
  if (sodium_init() < 0) return Internal("sodium_init", "libsodium failed to initialise");
  std::string master(kKeyBytes, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (hex.size() != 2 * kKeyBytes ||
      sodium_hex2bin(reinterpret_cast<unsigned char*>(master.data()), master.size(), hex.data(),
                     hex.size(), nullptr, &len, &end) != 0 ||
      len != kKeyBytes) {
    sodium_memzero(master.data(), master.size());
    return InvalidArgument("bad_master_key", "EARSHOT_MASTER_KEY must be 64 hexadecimal digits "
                                             "(the 32 bytes of master.key: xxd -p -c 64 master.key)");
  }
  return std::unique_ptr<Keyring>(new Keyring(std::move(master), rng));
}

std::string Keyring::CheckValue() const {
  return MacHex(DeriveKey("keycheck"), "earshot master key check v1");
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
