// The metadata a product sends with each recording, parsed and validated.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace earshot::ingest {

struct HypothesisWord {
  std::string w;
  double start = 0;  // seconds from the start of the recording
  double end = 0;
};

struct Hypothesis {
  std::string text;
  std::vector<HypothesisWord> words;  // may be empty (no word times)
};

struct RecordingMetadata {
  std::string account;
  std::string device_serial;
  int64_t captured_at_ms = 0;
  // The offset from UTC that captured_at was written in (the device's local
  // time), in minutes; 0 for "Z".
  int captured_utc_offset_min = 0;
  std::string locale;
  std::optional<Hypothesis> hypothesis;
  std::optional<std::string> intent_json;  // a JSON string or object, re-serialised
  std::optional<std::string> stream;       // the stream the product meant, if it said
};

// Parses the `metadata` JSON field. InvalidArgument("malformed_metadata") with
// the offending field named for: invalid JSON, not an object, a missing or
// mistyped required field (account, device_serial, captured_at, locale), a
// captured_at that is not RFC 3339, word times that are negative or reversed,
// invalid UTF-8, or fields over their size limits.
Result<RecordingMetadata> ParseMetadata(std::string_view json);

// The metadata (minus the account) as the JSON that is sealed into the vault.
std::string SealedMetadataJson(const RecordingMetadata& meta);
// Inverse of SealedMetadataJson (account left empty).
Result<RecordingMetadata> ParseSealedMetadata(std::string_view json);

}  // namespace earshot::ingest
