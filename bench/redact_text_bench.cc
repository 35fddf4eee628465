// redact-text throughput, side by side with its limit on the same input in the
// same run: the limit splits each line into words and writes the same JSON
// shape (the same writer) without detecting anything.
//
//   build/bin/redact_text_bench [--mb 20]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "privacy/pii/pii.h"
#include "privacy/pii/redact_line.h"

namespace {

using earshot::privacy::pii::SplitWords;

template <typename F>
double MbPerSecond(const std::vector<std::string>& lines, size_t bytes, F&& per_line) {
  const auto start = std::chrono::steady_clock::now();
  size_t sink = 0;
  for (const auto& line : lines) sink += per_line(line).size();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (sink == 0) std::printf("(empty output)\n");
  return bytes / 1e6 / s;
}

}  // namespace

int main(int argc, char** argv) {
  double mb = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--mb") mb = std::stod(argv[i + 1]);
  }
  const std::vector<std::string> templates = {
      "call my sister at five five five one two three four",
      "set a timer for five minutes",
      "navigate to twelve forty five oak street apartment three",
      "email j o h n dot smith at gmail dot com",
      "my name is anna and i was born on july fourth nineteen eighty",
      "what is the weather tomorrow in boston",
      "my card number is four one one one one one one one one one one one one one one one",
      "play track four and turn the volume to eleven",
      "remind me to call doctor patel at 415-555-0199",
      "add two eggs and one cup of milk to my shopping list"};
  std::vector<std::string> lines;
  size_t bytes = 0;
  for (size_t i = 0; bytes < mb * 1e6; ++i) {
    lines.push_back(templates[i % templates.size()]);
    bytes += lines.back().size() + 1;
  }
  const double limit = MbPerSecond(lines, bytes, [](const std::string& l) {
    return earshot::privacy::pii::LineJson(SplitWords(l), {});
  });
  const double redact = MbPerSecond(
      lines, bytes, [](const std::string& l) { return earshot::privacy::pii::RedactLineJson(l); });
  std::printf("input: %.1f MB, %zu lines (10 assistant requests, half with PII)\n", bytes / 1e6,
              lines.size());
  std::printf("%-40s %8.1f MB/s\n", "split + JSON, no detection (limit)", limit);
  std::printf("%-40s %8.1f MB/s\n", "redact-text (detect + mask + JSON)", redact);
  std::printf("ratio redact / limit: %.3f   (target: >= 20 MB/s per core)\n", redact / limit);
  return 0;
}
