#include "ingest/metadata.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "util/encoding.h"
#include "util/json_limits.h"

namespace earshot::ingest {
namespace {

using nlohmann::json;

constexpr size_t kMaxField = 256;
constexpr size_t kMaxText = 4096;
constexpr size_t kMaxWords = 2000;

Status Bad(const std::string& msg) {
  return InvalidArgument("malformed_metadata", msg);
}

Result<std::string> RequiredString(const json& obj, const char* key, size_t max_len) {
  auto it = obj.find(key);
  if (it == obj.end()) return Bad(std::string("metadata.") + key + " is required");
  if (!it->is_string()) return Bad(std::string("metadata.") + key + " must be a string");
  std::string value = it->get<std::string>();
  if (value.empty()) return Bad(std::string("metadata.") + key + " must not be empty");
  if (value.size() > max_len) {
    return Bad(std::string("metadata.") + key + " is longer than " + std::to_string(max_len));
  }
  return value;
}

// The UTC offset (minutes) of an RFC 3339 time already validated by
// ParseRfc3339: "Z" or a trailing "+HH:MM"/"-HH:MM".
int Rfc3339OffsetMinutes(const std::string& s) {
  if (s.size() < 6 || s.back() == 'Z' || s.back() == 'z') return 0;
  const std::string tail = s.substr(s.size() - 6);
  if ((tail[0] != '+' && tail[0] != '-') || tail[3] != ':') return 0;
  const int minutes = std::stoi(tail.substr(1, 2)) * 60 + std::stoi(tail.substr(4, 2));
  return tail[0] == '+' ? minutes : -minutes;
}

bool IsValidLocale(const std::string& s) {
  if (s.size() > 35) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

Result<Hypothesis> ParseHypothesis(const json& h) {
  if (!h.is_object()) return Bad("metadata.hypothesis must be an object");
  Hypothesis out;
  auto text = h.find("text");
  if (text == h.end() || !text->is_string())
    return Bad("metadata.hypothesis.text must be a string");
  out.text = text->get<std::string>();
  if (out.text.size() > kMaxText) return Bad("metadata.hypothesis.text is too long");
  auto words = h.find("words");
  if (words == h.end() || words->is_null()) return out;
  if (!words->is_array()) return Bad("metadata.hypothesis.words must be an array");
  if (words->size() > kMaxWords) return Bad("metadata.hypothesis.words has too many entries");
  double last_start = 0;
  for (size_t i = 0; i < words->size(); ++i) {
    const json& w = (*words)[i];
    const std::string where = "metadata.hypothesis.words[" + std::to_string(i) + "]";
    if (!w.is_object() || !w.contains("w") || !w["w"].is_string() || !w.contains("start") ||
        !w["start"].is_number() || !w.contains("end") || !w["end"].is_number()) {
      return Bad(where + " needs w (string), start and end (seconds)");
    }
    HypothesisWord word{w["w"].get<std::string>(), w["start"].get<double>(),
                        w["end"].get<double>()};
    if (!std::isfinite(word.start) || !std::isfinite(word.end) || word.start < 0 ||
        word.end < word.start || word.start < last_start || word.w.size() > kMaxField) {
      return Bad(where + " has times that are negative, reversed or out of order");
    }
    last_start = word.start;
    out.words.push_back(std::move(word));
  }
  return out;
}

}  // namespace

Result<RecordingMetadata> ParseMetadata(std::string_view text) {
  if (!IsValidUtf8(text)) return Bad("metadata is not valid UTF-8");
  if (!JsonNestingWithin(text)) return Bad("metadata nests deeper than 32 levels");
  json obj = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (obj.is_discarded()) return Bad("metadata is not valid JSON");
  if (!obj.is_object()) return Bad("metadata must be a JSON object");
  RecordingMetadata meta;
  ASSIGN_OR_RETURN(meta.account, RequiredString(obj, "account", kMaxField));
  ASSIGN_OR_RETURN(meta.device_serial, RequiredString(obj, "device_serial", kMaxField));
  ASSIGN_OR_RETURN(std::string captured, RequiredString(obj, "captured_at", 64));
  auto ms = ParseRfc3339(captured);
  if (!ms) return Bad("metadata.captured_at must be an RFC 3339 time, e.g. 2026-11-21T10:00:00Z");
  meta.captured_at_ms = *ms;
  meta.captured_utc_offset_min = Rfc3339OffsetMinutes(captured);
  ASSIGN_OR_RETURN(meta.locale, RequiredString(obj, "locale", 35));
  if (!IsValidLocale(meta.locale)) return Bad("metadata.locale must look like en-US");
  if (auto h = obj.find("hypothesis"); h != obj.end() && !h->is_null()) {
    ASSIGN_OR_RETURN(meta.hypothesis, ParseHypothesis(*h));
  }
  if (auto i = obj.find("intent"); i != obj.end() && !i->is_null()) {
    if (!i->is_string() && !i->is_object())
      return Bad("metadata.intent must be a string or object");
    meta.intent_json = i->dump();
    if (meta.intent_json->size() > kMaxText) return Bad("metadata.intent is too long");
  }
  if (auto s = obj.find("stream"); s != obj.end()) {
    if (!s->is_string()) return Bad("metadata.stream must be a string");
    meta.stream = s->get<std::string>();
  }
  return meta;
}

std::string SealedMetadataJson(const RecordingMetadata& meta) {
  json obj;
  obj["device_serial"] = meta.device_serial;
  obj["captured_at"] = FormatRfc3339(meta.captured_at_ms);
  obj["captured_offset_min"] = meta.captured_utc_offset_min;
  obj["locale"] = meta.locale;
  if (meta.hypothesis) {
    json words = json::array();
    for (const auto& w : meta.hypothesis->words) {
      words.push_back({{"w", w.w}, {"start", w.start}, {"end", w.end}});
    }
    obj["hypothesis"] = {{"text", meta.hypothesis->text}, {"words", words}};
  }
  if (meta.intent_json) obj["intent"] = json::parse(*meta.intent_json);
  return obj.dump();
}

Result<RecordingMetadata> ParseSealedMetadata(std::string_view text) {
  json obj = json::parse(text.begin(), text.end(), nullptr, false);
  if (obj.is_discarded() || !obj.is_object()) {
    return Corruption("sealed_metadata", "stored metadata is not valid JSON");
  }
  RecordingMetadata meta;
  meta.device_serial = obj.value("device_serial", "");
  meta.captured_at_ms = ParseRfc3339(obj.value("captured_at", "")).value_or(0);
  // Absent in metadata sealed before it was kept: UTC.
  const auto offset = obj.find("captured_offset_min");
  if (offset != obj.end() && offset->is_number_integer()) {
    meta.captured_utc_offset_min = offset->get<int>();
  }
  meta.locale = obj.value("locale", "");
  if (obj.contains("hypothesis")) {
    auto h = ParseHypothesis(obj["hypothesis"]);
    if (h.ok()) meta.hypothesis = std::move(h).value();
  }
  if (obj.contains("intent")) meta.intent_json = obj["intent"].dump();
  return meta;
}

}  // namespace earshot::ingest
