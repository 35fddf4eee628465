#include "crypto/seal.h"

#include <sodium.h>

#include <cassert>

#include "util/encoding.h"

namespace earshot::crypto {
namespace {
const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

std::string Seal(std::string_view key, std::string_view plaintext, std::string_view ad,
                 Random& rng) {
  assert(key.size() == kKeyBytes);
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  rng.Fill(o, kNonce);
  unsigned long long clen = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(o + kNonce, &clen, U(plaintext), plaintext.size(),
                                             U(ad), ad.size(), nullptr, o, U(key));
  out.resize(kNonce + clen);
  return out;
}

Result<std::string> Open(std::string_view key, std::string_view sealed, std::string_view ad) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (key.size() != kKeyBytes ||
      sealed.size() < kNonce + crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Corruption("decrypt_failed", "sealed value is truncated or the key is missing");
  }
  std::string out(sealed.size() - kNonce, '\0');
  unsigned long long plen = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &plen, nullptr, U(sealed) + kNonce,
          sealed.size() - kNonce, U(ad), ad.size(), U(sealed), U(key)) != 0) {
    return Corruption("decrypt_failed", "sealed value failed authentication");
  }
  out.resize(plen);
  return out;
}

std::string SealText(std::string_view key, std::string_view plaintext, std::string_view ad,
                     Random& rng) {
  return Base64Url(Seal(key, plaintext, ad, rng));
}

Result<std::string> OpenText(std::string_view key, std::string_view sealed_text,
                             std::string_view ad) {
  auto raw = FromBase64Url(sealed_text);
  if (!raw) return Corruption("decrypt_failed", "sealed field is not valid base64url");
  return Open(key, *raw, ad);
}

std::string MacHex(std::string_view key, std::string_view message) {
  assert(key.size() == kKeyBytes);
  unsigned char out[32];
  crypto_generichash(out, sizeof out, U(message), message.size(), U(key), key.size());
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

std::string KeyedHash(std::string_view key, std::string_view message, size_t out_bytes) {
  assert(out_bytes >= crypto_generichash_BYTES_MIN && out_bytes <= crypto_generichash_BYTES_MAX);
  std::string out(out_bytes, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(), U(message),
                     message.size(), U(key), key.size());
  return out;
}

std::string HashHex(std::string_view message) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, U(message), message.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace earshot::crypto
