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

// One alpha per frame: draws every `segment_frames`, linearly interpolated.
std::vector<double> AlphaTrack(Random& rng, const AnonymizeSettings& s, size_t frames,
                               size_t segment_frames) {
  segment_frames = std::max<size_t>(segment_frames, 1);
  std::vector<double> knots;
  for (size_t k = 0; k <= frames / segment_frames + 1; ++k) {
    knots.push_back(Uniform(rng, s.alpha_min, s.alpha_max));
  }
  std::vector<double> track(frames);
  for (size_t m = 0; m < frames; ++m) {
    const size_t k = m / segment_frames;
    const double t = static_cast<double>(m % segment_frames) / static_cast<double>(segment_frames);
    track[m] = knots[k] * (1.0 - t) + knots[k + 1] * t;
  }
  return track;
}

}  // namespace

const std::vector<std::string>& KnownChains() {
  static const std::vector<std::string> kChains = {"mcadams", "mcadams-segments",
                                                   "mcadams-segments-bw", "mcadams-normalized"};
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
  auto in_range = [](double a) { return a > 0.0 && a <= 2.0 && std::isfinite(a); };
  if (!in_range(s.alpha_min) || !in_range(s.alpha_max) || s.alpha_min > s.alpha_max ||
      (s.alpha && !in_range(*s.alpha))) {
    return InvalidArgument("bad_alpha", "alpha must lie in (0, 2], and min <= max");
  }
  if (s.segment_ms < 10) return InvalidArgument("bad_segment", "segment_ms must be >= 10");
  return Status::Ok();
}

Result<audio::Pcm16> Anonymize(const audio::Pcm16& in, const AnonymizeSettings& s, uint64_t seed,
                               AnonymizeReport* report) {
  RETURN_IF_ERROR(ValidateSettings(s));
  if (in.sample_rate <= 0) return InvalidArgument("bad_rate", "the clip has no sample rate");
  SeededRandom rng(seed);
  McAdamsOptions options;
  const size_t frames = McAdamsFrames(in.samples.size(), in.sample_rate, options);
  std::vector<float> x(in.samples.begin(), in.samples.end());
  const bool segments = s.chain.rfind("mcadams-segments", 0) == 0;
  if (s.alpha) {
    options.alpha = *s.alpha;
  } else if (segments) {
    options.alpha_track =
        AlphaTrack(rng, s, frames, static_cast<size_t>(s.segment_ms / options.hop_ms));
  } else if (s.chain == "mcadams-normalized") {
    const double mean = MeanLogFormantAngle(x, in.sample_rate, options);
    options.alpha = mean < 0.0 ? std::clamp(s.normalize_target / mean, s.alpha_min, 1.0)
                               : Uniform(rng, s.alpha_min, s.alpha_max);
  } else {
    options.alpha = Uniform(rng, s.alpha_min, s.alpha_max);
  }
  if (s.chain == "mcadams-segments-bw") options.radius_scale = Uniform(rng, 0.90, 0.97);
  McAdamsStats stats;
  McAdams(x, in.sample_rate, options, &stats);
  audio::Pcm16 out;
  out.sample_rate = in.sample_rate;
  out.samples.resize(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    out.samples[i] = static_cast<int16_t>(std::lrint(std::clamp(x[i], -32768.0f, 32767.0f)));
  }
  if (report) {
    report->chain = s.chain;
    double sum = 0.0;
    for (double a : options.alpha_track) sum += a;
    report->alpha_mean = options.alpha_track.empty()
                             ? options.alpha
                             : sum / static_cast<double>(options.alpha_track.size());
    report->radius_scale = options.radius_scale;
    report->frames = stats.frames;
    report->clamped_poles = stats.clamped_poles;
  }
  return out;
}

}  // namespace earshot::privacy::anonymize
