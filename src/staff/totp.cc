#include "staff/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <cstdio>

#include "crypto/seal.h"
#include "util/encoding.h"

namespace earshot::staff {

uint32_t Hotp(std::string_view secret, uint64_t counter, int digits) {
  unsigned char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), message, sizeof message, mac,
       &mac_len);
  const int offset = mac[mac_len - 1] & 0x0f;
  const uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7f) << 24) |
                          (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                          (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                          static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  return binary % modulus;
}

std::string TotpCode(std::string_view secret, int64_t step) {
  char code[8];
  std::snprintf(code, sizeof code, "%06u", Hotp(secret, static_cast<uint64_t>(step)));
  return code;
}

std::optional<int64_t> MatchTotp(std::string_view secret, std::string_view code, int64_t now_ms,
                                 int64_t last_used_step) {
  if (code.size() != 6) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const int64_t now_step = now_ms / kTotpStepMs;
  std::optional<int64_t> matched;
  // Every candidate is computed and compared in constant time, so timing does
  // not say which step matched.
  for (int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    if (crypto::ConstantTimeEquals(TotpCode(secret, step), code) && step > last_used_step) {
      matched = step;
    }
  }
  return matched;
}

std::string NormalizeCode(std::string_view typed) {
  std::string out;
  out.reserve(typed.size());
  for (char c : typed) {
    if (c == ' ' || c == '\t' || c == '-') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::optional<std::string> TotpSecretFromUri(std::string_view uri) {
  const size_t key = uri.find("secret=");
  if (key == std::string_view::npos) return std::nullopt;
  const size_t at = key + 7;
  const std::string_view b32 = uri.substr(at, uri.find('&', at) - at);
  if (b32.empty()) return std::nullopt;
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : b32) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    uint32_t v;
    if (u >= 'A' && u <= 'Z') {
      v = static_cast<uint32_t>(u - 'A');
    } else if (u >= '2' && u <= '7') {
      v = static_cast<uint32_t>(u - '2' + 26);
    } else {
      return std::nullopt;
    }
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string Base32Upper(std::string_view bytes) {
  std::string out = Base32Lower(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string GroupedForTyping(std::string_view key) {
  std::string out;
  for (size_t i = 0; i < key.size(); i += 4) {
    if (i > 0) out += ' ';
    out += key.substr(i, 4);
  }
  return out;
}

std::string TotpUri(const std::string& name, std::string_view secret) {
  std::string label;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      label += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      label += hex;
    }
  }
  return "otpauth://totp/earshot:" + label + "?secret=" + Base32Upper(secret) +
         "&issuer=earshot&algorithm=SHA1&digits=6&period=30";
}

}  // namespace earshot::staff
