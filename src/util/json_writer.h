// Appending JSON strings without building a document (hot output paths such
// as `earshot redact-text`). REQUIRES: valid UTF-8 input (passed through).
#pragma once

#include <string>
#include <string_view>

namespace earshot {

// Appends `text` as a quoted JSON string: escapes '"', '\\' and control
// characters; other bytes are copied as they are.
void AppendJsonString(std::string& out, std::string_view text);

// The same without the quotes: for a string written in pieces.
void AppendJsonEscaped(std::string& out, std::string_view text);

}  // namespace earshot
