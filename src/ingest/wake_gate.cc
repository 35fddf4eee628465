#include "ingest/wake_gate.h"

#include <cstdio>
#include <map>
#include <memory>
#include <vector>

#include "asr/pocketsphinx.h"
#include "util/thread_annotations.h"

namespace earshot::ingest {
namespace {

class SpotterPool {
 public:
  // Borrows a spotter for (phrase, threshold), creating one if none is idle.
  Result<std::unique_ptr<asr::KeyphraseSpotter>> Borrow(const std::string& key,
                                                        const std::string& phrase,
                                                        double threshold) {
    {
      MutexLock lock(mu_);
      auto& idle = idle_[key];
      if (!idle.empty()) {
        auto s = std::move(idle.back());
        idle.pop_back();
        return s;
      }
    }
    return asr::KeyphraseSpotter::Create(phrase, threshold);
  }
  void Return(const std::string& key, std::unique_ptr<asr::KeyphraseSpotter> s) {
    MutexLock lock(mu_);
    auto& idle = idle_[key];
    if (idle.size() < 4) idle.push_back(std::move(s));
  }

 private:
  Mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<asr::KeyphraseSpotter>>> idle_ GUARDED_BY(mu_);
};

SpotterPool& Pool() {
  static SpotterPool* pool = new SpotterPool();  // lives for the process
  return *pool;
}

}  // namespace

Result<bool> WakeWordHeard(const StreamSpec& stream, const audio::Pcm16& pcm) {
  if (!stream.wake_word) return true;
  char threshold[32];
  std::snprintf(threshold, sizeof threshold, "%.6g", stream.wake_threshold);
  const std::string key = *stream.wake_word + "\n" + threshold;
  ASSIGN_OR_RETURN(auto spotter, Pool().Borrow(key, *stream.wake_word, stream.wake_threshold));
  auto heard = spotter->Heard(pcm, kWakeWindowMs);
  Pool().Return(key, std::move(spotter));
  return heard;
}

}  // namespace earshot::ingest
