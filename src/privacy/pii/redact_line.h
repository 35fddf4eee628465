// The JSON line `earshot redact-text` writes for one input line.
#pragma once

#include <string>
#include <vector>

#include "privacy/pii/pii.h"

namespace earshot::privacy::pii {

// {"spans":[{"end":j,"start":i,"text":"...","type":"PHONE"}],"text":"<masked>"}
// for `words` and `spans` (keys sorted, as nlohmann::json would write them).
std::string LineJson(const std::vector<std::string>& words, const std::vector<Span>& spans);

// Detects and masks PII in `line` (split on whitespace) and returns its JSON;
// for invalid UTF-8, {"error":{"code":"invalid_utf8",...}}.
std::string RedactLineJson(const std::string& line);

}  // namespace earshot::privacy::pii
