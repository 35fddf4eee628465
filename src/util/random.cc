#include "util/random.h"

#include <sodium.h>

#include <cstring>

#include "util/encoding.h"

namespace earshot {

void SecureRandom::Fill(uint8_t* out, size_t n) {
  randombytes_buf(out, n);
}

Mutex SeededRandom::mu_;

SeededRandom::SeededRandom(uint64_t seed) {
  std::memset(key_, 0, sizeof key_);
  std::memcpy(key_, &seed, sizeof seed);
}

void SeededRandom::Fill(uint8_t* out, size_t n) {
  MutexLock lock(mu_);
  uint8_t nonce[crypto_stream_chacha20_NONCEBYTES] = {0};
  std::memcpy(nonce, &counter_, sizeof counter_);
  ++counter_;
  crypto_stream_chacha20(out, n, nonce, key_);
}

void KeyedStream(std::string_view key, uint64_t nonce, uint8_t* out, size_t n) {
  uint8_t nonce_bytes[crypto_stream_chacha20_NONCEBYTES] = {0};
  std::memcpy(nonce_bytes, &nonce, sizeof nonce);
  crypto_stream_chacha20(out, n, nonce_bytes, reinterpret_cast<const uint8_t*>(key.data()));
}

double UniformDraw(Random& rng) {
  uint8_t b[8];
  rng.Fill(b, sizeof b);
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return static_cast<double>(v >> 11) * 0x1.0p-53;
}

std::string NewId(Random& rng, const std::string& prefix) {
  uint8_t bytes[16];
  rng.Fill(bytes, sizeof bytes);
  return prefix + "_" + Base32Lower(bytes, sizeof bytes);
}

std::string NewSecret(Random& rng) {
  uint8_t bytes[32];
  rng.Fill(bytes, sizeof bytes);
  return Base64Url(std::string(reinterpret_cast<char*>(bytes), sizeof bytes));
}

}  // namespace earshot
