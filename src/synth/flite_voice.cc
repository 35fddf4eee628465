#include "synth/flite_voice.h"

#include <algorithm>
#include <map>
#include <memory>

#include "audio/decode.h"
#include "util/thread_annotations.h"

extern "C" {
#include <flite/flite.h>
cst_voice* register_cmu_us_slt(const char* voxdir);
cst_voice* register_cmu_us_rms(const char* voxdir);
cst_voice* register_cmu_us_awb(const char* voxdir);
cst_voice* register_cmu_us_kal(const char* voxdir);
}

namespace earshot::synth {
namespace {

// Held for every call into flite (the voices are made once, then shared).
Mutex g_mu;

cst_voice* VoiceLocked(const std::string& name) REQUIRES(g_mu) {
  static std::map<std::string, cst_voice*> voices;
  static bool initialised = false;
  if (!initialised) {
    flite_init();
    voices["slt"] = register_cmu_us_slt(nullptr);
    voices["rms"] = register_cmu_us_rms(nullptr);
    voices["awb"] = register_cmu_us_awb(nullptr);
    voices["kal"] = register_cmu_us_kal(nullptr);
    initialised = true;
  }
  auto it = voices.find(name);
  return it == voices.end() ? nullptr : it->second;
}

struct WaveDeleter {
  void operator()(cst_wave* w) const { delete_wave(w); }
};

}  // namespace

const std::vector<std::string>& VoiceNames() {
  static const std::vector<std::string> kNames = {"slt", "rms", "awb", "kal"};
  return kNames;
}

Result<audio::Pcm16> Speak(const std::string& voice, const std::string& text) {
  std::vector<float> samples;
  int rate = 0;
  {
    MutexLock lock(g_mu);
    cst_voice* v = VoiceLocked(voice);
    if (v == nullptr) return InvalidArgument("unknown_voice", "no flite voice named " + voice);
    std::unique_ptr<cst_wave, WaveDeleter> wave(flite_text_to_wave(text.c_str(), v));
    if (!wave) return Internal("flite", "flite produced no audio");
    rate = cst_wave_sample_rate(wave.get());
    const int n = cst_wave_num_samples(wave.get());
    const int channels = cst_wave_num_channels(wave.get());
    samples.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) samples.push_back(wave->samples[i * channels] / 32768.0f);
  }
  ASSIGN_OR_RETURN(auto resampled, audio::Resample(samples, rate, audio::kCanonicalRate));
  audio::Pcm16 pcm;
  pcm.samples.reserve(resampled.size());
  for (float s : resampled) {
    pcm.samples.push_back(
        static_cast<int16_t>(std::max(-32768.0f, std::min(32767.0f, s * 32768.0f))));
  }
  return pcm;
}

}  // namespace earshot::synth
