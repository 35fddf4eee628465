// Fuzzes the second-factor input of staff sign-in (staff/totp.h): the code a
// person types (MatchTotp) at any time and with any last-used step, and the
// provisioning URI an authenticator reads back (TotpSecretFromUri). A code
// is accepted only for a step in the +-1 window, later than the last one
// used, whose code it is; a URI we write gives back its secret.
//
// Recovery codes are not parsed at all: the typed string is hashed whole
// (crypto::HashHex) and looked up as a bound SQL parameter, after the TOTP
// attempt above; see docs/security.md.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "staff/totp.h"

namespace staff = earshot::staff;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string secret = in.ConsumeRandomLengthString(64);
  const int64_t now_ms = in.ConsumeIntegral<int64_t>();
  const int64_t last_used = in.ConsumeIntegral<int64_t>();
  const std::string code = in.ConsumeRandomLengthString(16);
  const std::string name = in.ConsumeRandomLengthString(64);
  const std::string uri = in.ConsumeRemainingBytesAsString();

  if (auto step = staff::MatchTotp(secret, code, now_ms, last_used)) {
    const int64_t now_step = now_ms / staff::kTotpStepMs;
    FUZZ_CHECK(*step >= now_step - 1 && *step <= now_step + 1);
    FUZZ_CHECK(*step > last_used);
    FUZZ_CHECK(staff::TotpCode(secret, *step) == code);
  }
  // The code of the current step is accepted once, while it is fresh.
  const int64_t now_step = now_ms / staff::kTotpStepMs;
  const std::string current = staff::TotpCode(secret, now_step);
  FUZZ_CHECK(current.size() == 6);
  const auto matched = staff::MatchTotp(secret, current, now_ms, now_step - 2);
  FUZZ_CHECK(matched && *matched >= now_step);
  FUZZ_CHECK(!staff::MatchTotp(secret, current, now_ms, now_step + 1));

  (void)staff::TotpSecretFromUri(uri);
  if (!secret.empty()) {
    const auto back = staff::TotpSecretFromUri(staff::TotpUri(name, secret));
    FUZZ_CHECK(back && *back == secret);
  }
  return 0;
}
