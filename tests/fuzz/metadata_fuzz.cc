// Fuzzes the parser of the metadata a product sends with each recording
// (ingest/metadata.h; the multipart framing is multipart_fuzz.cc's),
// and the sealed form it is stored in: whatever ParseMetadata accepts is
// within its limits and survives SealedMetadataJson / ParseSealedMetadata
// unchanged (minus the account, which is never sealed).
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "ingest/metadata.h"
#include "util/encoding.h"

namespace ingest = earshot::ingest;

namespace {

void CheckAccepted(const ingest::RecordingMetadata& m) {
  FUZZ_CHECK(!m.account.empty() && m.account.size() <= 256);
  FUZZ_CHECK(!m.device_serial.empty() && m.device_serial.size() <= 256);
  FUZZ_CHECK(!m.locale.empty() && m.locale.size() <= 35);
  FUZZ_CHECK(m.captured_at_ms >= 0);
  FUZZ_CHECK(m.captured_utc_offset_min > -24 * 60 && m.captured_utc_offset_min < 24 * 60);
  if (m.hypothesis) {
    FUZZ_CHECK(m.hypothesis->text.size() <= 4096);
    double last_start = 0;
    for (const auto& w : m.hypothesis->words) {
      FUZZ_CHECK(std::isfinite(w.start) && std::isfinite(w.end));
      FUZZ_CHECK(0 <= w.start && w.start <= w.end && w.start >= last_start);
      last_start = w.start;
    }
  }
  if (m.intent_json) FUZZ_CHECK(m.intent_json->size() <= 4096);
}

void CheckSealedRoundTrip(const ingest::RecordingMetadata& m) {
  const std::string sealed = ingest::SealedMetadataJson(m);
  FUZZ_CHECK(earshot::IsValidUtf8(sealed));
  auto back = ingest::ParseSealedMetadata(sealed);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(back->account.empty());
  FUZZ_CHECK(back->device_serial == m.device_serial);
  FUZZ_CHECK(back->captured_at_ms == m.captured_at_ms);
  FUZZ_CHECK(back->captured_utc_offset_min == m.captured_utc_offset_min);
  FUZZ_CHECK(back->locale == m.locale);
  FUZZ_CHECK(back->hypothesis.has_value() == m.hypothesis.has_value());
  if (m.hypothesis) {
    FUZZ_CHECK(back->hypothesis->text == m.hypothesis->text);
    FUZZ_CHECK(back->hypothesis->words.size() == m.hypothesis->words.size());
    for (size_t i = 0; i < m.hypothesis->words.size(); ++i) {
      FUZZ_CHECK(back->hypothesis->words[i].w == m.hypothesis->words[i].w);
      FUZZ_CHECK(back->hypothesis->words[i].start == m.hypothesis->words[i].start);
      FUZZ_CHECK(back->hypothesis->words[i].end == m.hypothesis->words[i].end);
    }
  }
  FUZZ_CHECK(back->intent_json == m.intent_json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto meta = ingest::ParseMetadata(text);
  if (!meta.ok()) {
    FUZZ_CHECK(meta.status().reason() == "malformed_metadata");
    return 0;
  }
  CheckAccepted(*meta);
  CheckSealedRoundTrip(*meta);
  // Whatever was accepted came from valid UTF-8, so each of its strings is.
  FUZZ_CHECK(earshot::IsValidUtf8(meta->account) && earshot::IsValidUtf8(meta->device_serial));
  // The time it names is the one ParseRfc3339 reads again after formatting.
  FUZZ_CHECK(earshot::ParseRfc3339(earshot::FormatRfc3339(meta->captured_at_ms)) ==
             meta->captured_at_ms);
  return 0;
}
