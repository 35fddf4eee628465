#include "privacy/pii/redact_line.h"

#include "util/encoding.h"
#include "util/json_writer.h"

namespace earshot::privacy::pii {

std::string LineJson(const std::vector<std::string>& words, const std::vector<Span>& spans) {
  std::string out = R"({"spans":[)";
  for (size_t k = 0; k < spans.size(); ++k) {
    const Span& s = spans[k];
    std::string text;
    for (size_t i = s.start; i < s.end; ++i) {
      if (i > s.start) text.push_back(' ');
      text += words[i];
    }
    out += k ? ",{" : "{";
    out += R"("end":)" + std::to_string(s.end) + R"(,"start":)" + std::to_string(s.start) +
           R"(,"text":)";
    AppendJsonString(out, text);
    out += R"(,"type":")";
    out += TypeName(s.type);
    out += "\"}";
  }
  out += R"(],"text":)";
  AppendJsonString(out, MaskText(words, spans));
  out += "}";
  return out;
}

std::string RedactLineJson(const std::string& line) {
  if (!IsValidUtf8(line)) {
    return R"({"error":{"code":"invalid_utf8","message":"the line is not valid UTF-8"}})";
  }
  const auto words = SplitWords(line);
  return LineJson(words, DetectPii(words));
}

}  // namespace earshot::privacy::pii
