// The fixture of the privacy tests over HTTP: the integration suite's
// (http_privacy_test.cc) and the attack suite's (tests/attack/
// privacy_attack_test.cc).
#pragma once

#include <sndfile.h>

#include <nlohmann/json.hpp>
#include <string>

#include "integration/http_fixture.h"
#include "util/encoding.h"

namespace earshot::testing {

class HttpPrivacyTest : public HttpTest {
 protected:
  static std::string Now() { return FormatRfc3339(SystemClock().NowMs()); }
  // Ingests over HTTP and returns the recording id.
  std::string Ingest(const std::string& account, const std::string& serial,
                     const std::string& captured_at, uint32_t seed, const std::string& text = "") {
    auto res =
        PostRecording(env_.api_key, EncodeAs(Signal(1800, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16),
                      MetadataJson(account, serial, captured_at, text));
    EXPECT_TRUE(res && res->status == 201) << (res ? res->body : "no response");
    return res ? nlohmann::json::parse(res->body)["id"].get<std::string>() : "";
  }

  // Every byte a client saw: status line, headers, body.
  static std::string Transcript(const httplib::Result& res) {
    if (!res) return "";
    std::string out = std::to_string(res->status) + "\n";
    for (const auto& [k, v] : res->headers) out += k + ": " + v + "\n";
    return out + res->body;
  }
};

}  // namespace earshot::testing
