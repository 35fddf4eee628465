#include "privacy/watermark/conv_code.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace earshot::privacy::watermark {
namespace {

constexpr int kStates = 64;  // 2^(K-1), K = 7
constexpr unsigned kG1 = 0171, kG2 = 0133;

int Parity(unsigned v) {
  return __builtin_parity(v);
}

// The two coded bits for input `bit` from `state` (the last six inputs, the
// newest in the high bit).
std::array<int, 2> Output(int state, int bit) {
  const unsigned reg = (static_cast<unsigned>(bit) << 6) | static_cast<unsigned>(state);
  return {Parity(reg & kG1), Parity(reg & kG2)};
}

int NextState(int state, int bit) {
  return (state >> 1) | (bit << 5);
}

std::vector<int> InfoBits(uint32_t payload) {
  std::vector<int> bits;
  for (int i = kPayloadBits - 1; i >= 0; --i) bits.push_back((payload >> i) & 1);
  const uint16_t crc = Crc16(payload);
  for (int i = kCrcBits - 1; i >= 0; --i) bits.push_back((crc >> i) & 1);
  for (int i = 0; i < kTailBits; ++i) bits.push_back(0);
  return bits;
}

// The payload the decoded input bits carry, if their CRC matches.
std::optional<uint32_t> PayloadIfValid(const std::vector<int>& bits) {
  uint32_t payload = 0;
  for (int i = 0; i < kPayloadBits; ++i) payload = (payload << 1) | static_cast<uint32_t>(bits[i]);
  uint16_t crc = 0;
  for (int i = 0; i < kCrcBits; ++i) {
    crc = static_cast<uint16_t>((crc << 1) | bits[kPayloadBits + i]);
  }
  if (crc != Crc16(payload)) return std::nullopt;
  return payload;
}

}  // namespace

uint16_t Crc16(uint32_t payload) {
  uint16_t crc = 0xffff;
  for (int byte = 3; byte >= 0; --byte) {
    crc ^= static_cast<uint16_t>(((payload >> (8 * byte)) & 0xff) << 8);
    for (int i = 0; i < 8; ++i) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

std::vector<int> EncodePayload(uint32_t payload) {
  std::vector<int> out;
  int state = 0;
  for (int bit : InfoBits(payload)) {
    const auto o = Output(state, bit);
    out.push_back(o[0]);
    out.push_back(o[1]);
    state = NextState(state, bit);
  }
  return out;
}

std::vector<uint32_t> DecodePayloads(const std::vector<double>& soft, int list_size) {
  std::vector<uint32_t> found;
  if (soft.size() != static_cast<size_t>(kCodedBits) || list_size < 1) return found;
  constexpr int kSteps = kCodedBits / 2;
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  const size_t width = static_cast<size_t>(list_size);
  // metric[s * width + r]: the r-th best path into state s, best first.
  std::vector<double> metric(kStates * width, kNone), next(kStates * width);
  metric[0] = 0;
  struct Back {
    int8_t state;  // the previous state (the input bit is the new state's high bit)
    int16_t rank;  // and which of its paths
  };
  std::vector<std::vector<Back>> back(kSteps, std::vector<Back>(kStates * width));
  for (int t = 0; t < kSteps; ++t) {
    std::fill(next.begin(), next.end(), kNone);
    const bool tail = t >= kSteps - kTailBits;
    for (int n = 0; n < kStates; ++n) {
      const int bit = n >> 5;
      if (tail && bit) continue;
      // The two states that lead to n, each with its sorted list of paths
      // and its branch metric: merge the lists, keeping the `width` best.
      int from[2];
      double branch[2];
      for (int k = 0; k < 2; ++k) {
        from[k] = ((n << 1) & (kStates - 1)) | k;
        const auto o = Output(from[k], bit);
        branch[k] =
            (o[0] ? soft[2 * t] : -soft[2 * t]) + (o[1] ? soft[2 * t + 1] : -soft[2 * t + 1]);
      }
      size_t at[2] = {0, 0};
      for (size_t r = 0; r < width; ++r) {
        double best = kNone;
        int pick = -1;
        for (int k = 0; k < 2; ++k) {
          if (at[k] >= width) continue;
          const double m = metric[static_cast<size_t>(from[k]) * width + at[k]];
          if (m != kNone && m + branch[k] > best) {
            best = m + branch[k];
            pick = k;
          }
        }
        if (pick < 0) break;
        next[static_cast<size_t>(n) * width + r] = best;
        back[t][static_cast<size_t>(n) * width + r] = {static_cast<int8_t>(from[pick]),
                                                       static_cast<int16_t>(at[pick])};
        ++at[pick];
      }
    }
    metric.swap(next);
  }
  // The tail returns the coder to state 0; trace each of its paths back.
  for (size_t r = 0; r < width && metric[r] != kNone; ++r) {
    std::vector<int> bits(kSteps);
    int s = 0, rank = static_cast<int>(r);
    for (int t = kSteps - 1; t >= 0; --t) {
      const Back& b = back[t][static_cast<size_t>(s) * width + static_cast<size_t>(rank)];
      bits[t] = s >> 5;
      s = b.state;
      rank = b.rank;
    }
    const auto payload = PayloadIfValid(bits);
    if (payload && std::find(found.begin(), found.end(), *payload) == found.end()) {
      found.push_back(*payload);
    }
  }
  return found;
}

std::optional<uint32_t> DecodePayload(const std::vector<double>& soft) {
  const std::vector<uint32_t> found = DecodePayloads(soft, 1);
  if (found.empty()) return std::nullopt;
  return found.front();
}

}  // namespace earshot::privacy::watermark
