// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA1,
// 30-second steps, 6 digits, the parameters every authenticator app uses.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace earshot::staff {

constexpr int64_t kTotpStepMs = 30'000;

// The HOTP value of `secret` (raw bytes) at `counter`, truncated to `digits`.
uint32_t Hotp(std::string_view secret, uint64_t counter, int digits = 6);

// The 6-digit code of `secret` at `step`, zero-padded ("004217").
std::string TotpCode(std::string_view secret, int64_t step);

// The step of `code` ("123456") among now's step and one step either side,
// if it matches one later than `last_used_step` (a code is accepted once).
std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now_ms,
                                 int64_t last_used_step);

// A code as a person types it, as the server compares it: spaces, tabs and
// dashes dropped ("123 456", "123-456", "abcd-efgh-ijklm"), letters lower
// case (recovery codes are lower-case base32; TOTP codes are digits, which
// MatchTotp still checks). Anything else is kept, so a wrong code stays wrong.
std::string NormalizeCode(std::string_view typed);

// "otpauth://totp/earshot:NAME?secret=BASE32&issuer=earshot&..." for
// authenticator apps. `name` is percent-encoded.
std::string TotpUri(const std::string& name, std::string_view secret);

// The raw secret in a TotpUri, or nullopt if it has none or it is not
// valid base32 (what an authenticator app does when it scans the code).
std::optional<std::string> TotpSecretFromUri(std::string_view uri);

// RFC 4648 base32, upper case, no padding (what authenticator apps expect).
std::string Base32Upper(std::string_view bytes);

// `key` in groups of four separated by spaces ("ABCD EFGH IJ"), for a
// person to read and type into an authenticator app, which ignores the
// spaces.
std::string GroupedForTyping(std::string_view key);

}  // namespace earshot::staff
