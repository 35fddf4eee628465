// `earshot redact-text`: one utterance per line on stdin, one JSON object per
// line on stdout with the masked text and the typed spans.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/commands.h"
#include "privacy/pii/pii.h"
#include "util/encoding.h"

namespace earshot::cli {
namespace {

std::string RedactLine(const std::string& line) {
  using nlohmann::json;
  if (!IsValidUtf8(line)) {
    return json{{"error", {{"code", "invalid_utf8"}, {"message", "the line is not valid UTF-8"}}}}
        .dump();
  }
  const auto words = privacy::pii::SplitWords(line);
  const auto spans = privacy::pii::DetectPii(words);
  json out_spans = json::array();
  for (const auto& s : spans) {
    std::string text;
    for (size_t i = s.start; i < s.end; ++i) text += (i > s.start ? " " : "") + words[i];
    out_spans.push_back({{"type", privacy::pii::TypeName(s.type)},
                         {"start", s.start},
                         {"end", s.end},
                         {"text", text}});
  }
  return json{{"text", privacy::pii::MaskText(words, spans)}, {"spans", out_spans}}.dump();
}

}  // namespace

void AddRedactTextCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "redact-text", "Mask spoken-form PII: one utterance per line on stdin, JSON lines out");
  cmd->callback([] {
    std::ios::sync_with_stdio(false);
    std::string line;
    std::string out;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out = RedactLine(line);
      out.push_back('\n');
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    }
    std::cout.flush();
  });
}

}  // namespace earshot::cli
