// The watermark's error correction: the payload with a CRC-16, coded with the
// constraint-length 7, rate 1/2 convolutional code (generators 171 and 133
// octal, the one of CCSDS and 802.11), decoded by soft-decision Viterbi.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace earshot::privacy::watermark {

constexpr int kPayloadBits = 32;
constexpr int kCrcBits = 16;
constexpr int kTailBits = 6;  // zeros that return the coder to its start
constexpr int kCodedBits = 2 * (kPayloadBits + kCrcBits + kTailBits);  // 108

// CRC-16/CCITT-FALSE of the payload's four bytes, most significant first.
uint16_t Crc16(uint32_t payload);

// The kCodedBits bits (0 or 1) that carry `payload`.
std::vector<int> EncodePayload(uint32_t payload);

// Soft values, one per coded bit: positive means 1, negative 0, the size
// how sure. The payload when its CRC matches, or nothing.
// REQUIRES: soft.size() == kCodedBits.
std::optional<uint32_t> DecodePayload(const std::vector<double>& soft);

// List decoding: the `list_size` best paths through the trellis, best
// first, and of them the payloads whose CRC matches (each once). Two
// colluders who average their copies leave both their payloads equally
// likely; a list keeps both. Each extra path adds 2^-16 to the chance that
// noise passes the CRC. REQUIRES: soft.size() == kCodedBits.
std::vector<uint32_t> DecodePayloads(const std::vector<double>& soft, int list_size);

}  // namespace earshot::privacy::watermark
