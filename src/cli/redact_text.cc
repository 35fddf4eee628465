// `earshot redact-text`: one utterance per line on stdin, one JSON object per
// line on stdout with the masked text and the typed spans.
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "privacy/pii/redact_line.h"

namespace earshot::cli {

void AddRedactTextCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "redact-text", "Mask spoken-form PII: one utterance per line on stdin, JSON lines out");
  cmd->callback([] {
    std::ios::sync_with_stdio(false);
    std::string line;
    std::string out;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out = privacy::pii::RedactLineJson(line);
      out.push_back('\n');
      std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    }
    std::cout.flush();
  });
}

}  // namespace earshot::cli
