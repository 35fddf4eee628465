// Token buckets per key (a stream's API key, say): `rate_per_s` sustained,
// `burst` at once. In memory and per process: several servers each allow
// the rate (docs/operations.md). Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "util/clock.h"
#include "util/thread_annotations.h"

namespace earshot {

class RateLimiter {
 public:
  // rate_per_s <= 0 allows everything.
  RateLimiter(Clock& clock, double rate_per_s, double burst)
      : clock_(clock), rate_per_s_(rate_per_s), burst_(burst) {}

  // Takes one token from `key`'s bucket. Returns 0 when allowed, else the
  // milliseconds until a token is there (for Retry-After).
  int64_t Take(const std::string& key);

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;
  };
  static constexpr size_t kMaxKeys = 100'000;  // forget idle buckets past this

  Clock& clock_;
  const double rate_per_s_;
  const double burst_;
  Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ GUARDED_BY(mu_);
};

}  // namespace earshot
