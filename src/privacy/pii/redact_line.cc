#include "privacy/pii/redact_line.h"

#include "util/encoding.h"
#include "util/json_writer.h"

namespace earshot::privacy::pii {

std::string LineJson(const std::vector<std::string>& words, const std::vector<Span>& spans) {
  // Written in one pass into one string: the words are escaped one by one
  // (they hold no whitespace, so joining escaped words with spaces is the
  // escaped join).
  std::string out;
  out.reserve(64 + 2 * spans.size() * 32 + [&words] {
    size_t n = 0;
    for (const auto& w : words) n += w.size() + 1;
    return n;
  }());
  out += R"({"spans":[)";
  for (size_t k = 0; k < spans.size(); ++k) {
    const Span& s = spans[k];
    out += k ? ",{" : "{";
    out += R"("end":)";
    out += std::to_string(s.end);
    out += R"(,"start":)";
    out += std::to_string(s.start);
    out += R"(,"text":")";
    for (size_t i = s.start; i < s.end; ++i) {
      if (i > s.start) out.push_back(' ');
      AppendJsonEscaped(out, words[i]);
    }
    out += R"(","type":")";
    out += TypeName(s.type);
    out += "\"}";
  }
  out += R"(],"text":")";
  size_t next = 0;  // the next span
  for (size_t i = 0; i < words.size();) {
    if (i > 0) out.push_back(' ');
    if (next < spans.size() && spans[next].start == i) {
      out.push_back('[');
      out += TypeName(spans[next].type);
      out.push_back(']');
      i = spans[next++].end;
    } else {
      AppendJsonEscaped(out, words[i++]);
    }
  }
  out += "\"}";
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
