// Text encodings of binary data and of time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot {

std::string Hex(std::string_view bytes);
std::optional<std::string> FromHex(std::string_view hex);

// RFC 4648 base64url, no padding.
std::string Base64Url(std::string_view bytes);
std::optional<std::string> FromBase64Url(std::string_view text);

// RFC 4648 base32 alphabet in lower case, no padding.
std::string Base32Lower(const uint8_t* bytes, size_t n);

// RFC 3339 timestamp ("2026-11-21T10:00:00Z", "...+02:00", fractional seconds
// allowed) to Unix milliseconds; nullopt if malformed or out of range.
std::optional<int64_t> ParseRfc3339(std::string_view text);
// Unix milliseconds to "YYYY-MM-DDTHH:MM:SS.mmmZ".
std::string FormatRfc3339(int64_t unix_ms);

// True if `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace earshot
