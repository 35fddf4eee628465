// Randomness seam. The default draws from libsodium's CSPRNG; tests may seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/thread_annotations.h"

namespace earshot {

// Thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(uint8_t* out, size_t n) = 0;
};

class SecureRandom final : public Random {
 public:
  void Fill(uint8_t* out, size_t n) override;
};

// Deterministic stream for tests (ChaCha20 keyed by the seed). Thread-safe.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed);
  void Fill(uint8_t* out, size_t n) override;

 private:
  // One lock, shared by every instance.
  static Mutex mu_;
  uint8_t key_[32];  // set by the constructor only
  uint64_t counter_ GUARDED_BY(mu_) = 0;
};

// A uniform draw from [0, 1) (53 random bits).
double UniformDraw(Random& rng);

// `n` bytes of the ChaCha20 keystream of `key` (32 bytes) and `nonce`: the
// same key and nonce always give the same bytes (keyed, reproducible
// patterns such as a watermark's carriers). REQUIRES: key.size() == 32.
void KeyedStream(std::string_view key, uint64_t nonce, uint8_t* out, size_t n);

// "<prefix>_" followed by 26 lower-case base32 characters (128 random bits).
std::string NewId(Random& rng, const std::string& prefix);

// 32 random bytes, base64url without padding: for bearer secrets.
std::string NewSecret(Random& rng);

}  // namespace earshot
