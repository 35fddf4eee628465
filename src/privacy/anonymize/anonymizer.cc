#include "privacy/anonymize/anonymizer.h"

#include <algorithm>
#include <cmath>

#include "privacy/anonymize/mcadams.h"
#include "util/random.h"

namespace earshot::privacy::anonymize {
namespace {

double Uniform(Random& rng, double lo, double hi) {
  uint64_t bits = 0;
  rng.Fill(reinterpret_cast<uint8_t*>(&bits), sizeof bits);
  const double unit = static_cast<double>(bits >> 11) / static_cast<double>(1ULL << 53);
  return lo + (hi - lo) * unit;
}

}  // namespace

const std::vector<std::string>& KnownChains() {
  static const std::vector<std::string> kChains = {"mcadams", "mcadams-vtl"};
  return kChains;
}

Status ValidateSettings(const AnonymizeSettings& s) {
  const auto& chains = KnownChains();
  if (std::find(chains.begin(), chains.end(), s.chain) == chains.end()) {
    std::string names;
    for (const auto& c : chains) names += (names.empty() ? "" : ", ") + c;
    return InvalidArgument("bad_chain",
                           "unknown anonymization chain '" + s.chain + "' (known: " + names + ")");
  }
  // Below 0.3 the moved poles crowd so close that an order-20 polynomial
  // no longer represents them faithfully in double precision.
  auto in_range = [](double a) { return a >= 0.3 && a <= 1.0 && std::isfinite(a); };
  if (!in_range(s.alpha_min) || !in_range(s.alpha_max) || s.alpha_min > s.alpha_max ||
      (s.alpha && !in_range(*s.alpha))) {
    return InvalidArgument("bad_alpha", "alpha must lie in [0.3, 1], and min <= max");
  }
  return Status::Ok();
}

Result<audio::Pcm16> Anonymize(const audio::Pcm16& in, const AnonymizeSettings& s, uint64_t seed,
                               AnonymizeReport* report) {
  RETURN_IF_ERROR(ValidateSettings(s));
  if (in.sample_rate <= 0) return InvalidArgument("bad_rate", "the clip has no sample rate");
  SeededRandom rng(seed);
  McAdamsOptions options;
  options.alpha = s.alpha ? *s.alpha : Uniform(rng, s.alpha_min, s.alpha_max);
  if (s.chain == "mcadams-vtl") options.angle_scale = Uniform(rng, 0.85, 1.15);
  if (s.burg) options.lpc = McAdamsOptions::Lpc::kBurg;
  options.keep_frame_energy = s.keep_frame_energy;
  std::vector<float> x(in.samples.begin(), in.samples.end());
  McAdamsStats stats;
  McAdams(x, in.sample_rate, options, &stats);
  // A resonance moved with its own gain can push a peak past full scale:
  // the whole clip comes down rather than clip.
  float peak = 0.0f;
  for (float v : x) peak = std::max(peak, std::abs(v));
  if (peak > 32767.0f) {
    for (float& v : x) v *= 32767.0f / peak;
  }
  audio::Pcm16 out;
  out.sample_rate = in.sample_rate;
  out.samples.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    out.samples[i] = static_cast<int16_t>(std::lrint(std::clamp(x[i], -32768.0f, 32767.0f)));
  }
  if (report) {
    report->chain = s.chain;
    report->alpha = options.alpha;
    report->angle_scale = options.angle_scale;
    report->frames = stats.frames;
    report->clamped_poles = stats.clamped_poles;
  }
  return out;
}

}  // namespace earshot::privacy::anonymize
