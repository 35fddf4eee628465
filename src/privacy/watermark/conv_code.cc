#include "privacy/watermark/conv_code.h"

#include <array>
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

std::optional<uint32_t> DecodePayload(const std::vector<double>& soft) {
  if (soft.size() != static_cast<size_t>(kCodedBits)) return std::nullopt;
  constexpr int kSteps = kCodedBits / 2;
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  std::array<double, kStates> metric;
  metric.fill(kNone);
  metric[0] = 0;
  // survivors[t][s]: the input bit and previous state that led to s.
  std::vector<std::array<std::pair<int8_t, int8_t>, kStates>> survivors(kSteps);
  for (int t = 0; t < kSteps; ++t) {
    std::array<double, kStates> next;
    next.fill(kNone);
    const bool tail = t >= kSteps - kTailBits;
    for (int s = 0; s < kStates; ++s) {
      if (metric[s] == kNone) continue;
      for (int bit = 0; bit <= (tail ? 0 : 1); ++bit) {
        const auto o = Output(s, bit);
        // Correlation metric: agreeing signs add, disagreeing subtract.
        const double m = metric[s] + (o[0] ? soft[2 * t] : -soft[2 * t]) +
                         (o[1] ? soft[2 * t + 1] : -soft[2 * t + 1]);
        const int n = NextState(s, bit);
        if (m > next[n]) {
          next[n] = m;
          survivors[t][n] = {static_cast<int8_t>(bit), static_cast<int8_t>(s)};
        }
      }
    }
    metric = next;
  }
  // The tail returns the coder to state 0; trace back from there.
  std::vector<int> bits(kSteps);
  int s = 0;
  for (int t = kSteps - 1; t >= 0; --t) {
    bits[t] = survivors[t][s].first;
    s = survivors[t][s].second;
  }
  uint32_t payload = 0;
  for (int i = 0; i < kPayloadBits; ++i) payload = (payload << 1) | static_cast<uint32_t>(bits[i]);
  uint16_t crc = 0;
  for (int i = 0; i < kCrcBits; ++i) {
    crc = static_cast<uint16_t>((crc << 1) | bits[kPayloadBits + i]);
  }
  if (crc != Crc16(payload)) return std::nullopt;
  return payload;
}

}  // namespace earshot::privacy::watermark
