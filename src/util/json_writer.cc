#include "util/json_writer.h"

#include <cstdio>

namespace earshot {

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  AppendJsonEscaped(out, text);
  out.push_back('"');
}

void AppendJsonEscaped(std::string& out, std::string_view text) {
  // Runs of characters that need no escape are appended whole.
  size_t plain = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool escape = c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
    if (!escape) continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
        out += buf;
      }
    }
  }
  out.append(text.data() + plain, text.size() - plain);
}

}  // namespace earshot
