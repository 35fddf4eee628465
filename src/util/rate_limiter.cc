#include "util/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace earshot {

int64_t RateLimiter::Take(const std::string& key) {
  if (rate_per_s_ <= 0) return 0;
  const int64_t now = clock_.NowMs();
  MutexLock lock(mu_);
  if (buckets_.size() >= kMaxKeys && !buckets_.count(key)) {
    // Full buckets are the same as none: drop them.
    std::erase_if(buckets_, [&](const auto& kv) {
      return kv.second.tokens + (now - kv.second.at_ms) * rate_per_s_ / 1000.0 >= burst_;
    });
  }
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& b = it->second;
  b.tokens =
      std::min(burst_, b.tokens + std::max<int64_t>(0, now - b.at_ms) * rate_per_s_ / 1000.0);
  b.at_ms = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return static_cast<int64_t>(std::ceil((1.0 - b.tokens) * 1000.0 / rate_per_s_));
}

}  // namespace earshot
