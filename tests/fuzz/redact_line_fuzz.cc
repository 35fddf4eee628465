// Fuzzes `earshot redact-text`'s per-line output (privacy/pii/redact_line.h)
// with arbitrary bytes: the output is always one valid UTF-8 JSON object,
// either an error (invalid UTF-8 in) or spans inside the line plus its
// masked text.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_check.h"
#include "privacy/pii/pii.h"
#include "privacy/pii/redact_line.h"
#include "util/encoding.h"

namespace pii = earshot::privacy::pii;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  const std::string out = pii::RedactLineJson(line);
  FUZZ_CHECK(out.find('\n') == std::string::npos);  // one line out per line in
  FUZZ_CHECK(earshot::IsValidUtf8(out));
  const auto doc = nlohmann::json::parse(out, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!doc.is_discarded() && doc.is_object());
  if (!earshot::IsValidUtf8(line)) {
    FUZZ_CHECK(doc.contains("error"));
    return 0;
  }
  const auto words = pii::SplitWords(line);
  const auto spans = pii::DetectPii(words);
  FUZZ_CHECK(doc.at("text").get<std::string>() == pii::MaskText(words, spans));
  const auto& listed = doc.at("spans");
  FUZZ_CHECK(listed.is_array() && listed.size() == spans.size());
  for (size_t k = 0; k < spans.size(); ++k) {
    FUZZ_CHECK(listed[k].at("start").get<size_t>() == spans[k].start);
    FUZZ_CHECK(listed[k].at("end").get<size_t>() == spans[k].end);
    FUZZ_CHECK(listed[k].at("end").get<size_t>() <= words.size());
    FUZZ_CHECK(listed[k].at("type").get<std::string>() == pii::TypeName(spans[k].type));
  }
  return 0;
}
