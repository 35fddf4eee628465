// A forensic watermark that names the listen (issue 16): every clip served to
// a reviewer or privacy officer carries a keyed, inaudible mark of a 32-bit
// listen number, so that a leaked copy can be traced to the listen it came
// from (`earshot trace`).
//
// Design (spread spectrum, additive, in the time domain):
// - Two carriers, a pilot and a data carrier, are keyed noise: random-phase
//   flat spectra between 400 and 3300 Hz (inside a phone line's band and
//   below 4 kHz, so resampling to 8 kHz keeps them), periodic with a period
//   of kPeriod samples at 16 kHz (4.096 s), so that any excerpt one period
//   long holds the whole mark, wherever it starts.
// - The payload, with a CRC-16, is coded with a rate-1/2 convolutional code
//   (conv_code.h) into 108 bits. The period is cut into chips of 128
//   samples (8 ms), and each chip carries one coded bit as the sign of the
//   data carrier, the bits interleaved so that each is spread over the
//   whole period and a pause in the speech does not take out a run of them.
// - The mark is the pilot plus the signed data carrier, scaled to a fixed
//   fraction (kStrength) of the clip's own loudness over 10 ms, taking the
//   quietest of three neighbouring blocks so that it never rises before an
//   onset. It is silent where the clip is silent.
// - Detection whitens the suspect audio (the phase of each short-time
//   spectrum in the band, which removes the speech's own spectrum, loudness
//   and any gain), folds it onto one period, and correlates it with the
//   pilot at every lag by FFT. A peak beyond the threshold is a mark of this
//   deployment's key. The lags around the peak estimate the channel (a
//   room's echoes, a codec's delay), and the chips are combined over them
//   (a rake) into soft bits for the Viterbi decoder.
// - The threshold comes from theory, not from trials: with no mark, the
//   normalized correlation at each lag is close to a standard normal, so
//   the chance that any of the N lags tested (both signs) exceeds z is at
//   most 2 N Q(z). The threshold is set for kFalseAlarm per trace, and
//   each answer gives its own predicted chance.
//
// Thread-safe after construction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "audio/pcm.h"

namespace earshot::privacy::watermark {

constexpr int kRate = 16000;
constexpr size_t kPeriod = 65536;  // samples at kRate
constexpr size_t kChip = 128;      // samples
constexpr double kStrength = 0.1;  // mark RMS over the clip's local RMS
constexpr double kFalseAlarm = 1e-6;
// Paths the decoder keeps (conv_code.h DecodePayloads): 256 find a colluder
// in 95% of averaged pairs of codewords at a bit SNR of 3.7 (the plain
// decoder: 40%), at up to 256 * 2^-16 = 0.4% chance that a garbled read
// passes the CRC; a trace names a listen only if that payload is a listen
// on record (review/trace.h), 2.3e-4 of random payloads for a million.
constexpr int kListSize = 256;

struct Detection {
  bool found = false;               // a mark of this key is present
  std::optional<uint32_t> payload;  // and it was read (CRC matched)
  // Further payloads whose CRC matched among the decoder's kListSize best
  // paths (where two colluders averaged their copies, the other one), and
  // those read in the other windows of a long input (a recording of
  // several clips).
  std::vector<uint32_t> others;
  double z = 0;            // the pilot's peak, in standard deviations
  double threshold_z = 0;  // what counts as found for this input
  double false_alarm = 1;  // predicted chance of a peak this high without a mark
  bool inverted = false;   // the polarity was flipped
  double seconds = 0;      // the audio searched
};

class Watermarker {
 public:
  // REQUIRES: key.size() == 32 (derived from the deployment's master key).
  explicit Watermarker(std::string_view key);

  // Marks a 16 kHz clip with `payload` in place; its length never changes.
  // Adding is saturated at the 16-bit range. REQUIRES: sample_rate == kRate.
  void Embed(audio::Pcm16& clip, uint32_t payload) const;

  // Looks for a mark in mono float samples at kRate (full scale 1.0), of
  // any length: an input longer than three periods is searched in windows
  // of two periods, one period apart (one mark per served clip).
  Detection Detect(const std::vector<float>& samples) const;

 private:
  std::vector<float> pilot_, data_;  // one period each, unit RMS
};

// The interleaver: the coded bit chip `chip` of a period carries.
int ChipBit(size_t chip);

}  // namespace earshot::privacy::watermark
