// Intake over HTTP: every rejection is a precise 4xx JSON error and leaves the
// database and the blob directory unchanged.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <nlohmann/json.hpp>

#include "ingest/streams.h"
#include "integration/http_fixture.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

class HttpIntakeTest : public HttpTest {};

TEST_F(HttpIntakeTest, AcceptsAndReturnsAnId) {
  PutConsent("acct-http-1", true, true);
  auto res =
      PostRecording(env_.api_key, EncodeAs(Signal(1500, 4), SF_FORMAT_FLAC | SF_FORMAT_PCM_16),
                    MetadataJson("acct-http-1", "SN-1", "2026-11-21T10:00:00Z"));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 201) << res->body;
  const json body = json::parse(res->body);
  EXPECT_EQ(body["id"].get<std::string>().rfind("rec_", 0), 0u);
  EXPECT_EQ(body["duration_ms"], 1500);
}

TEST_F(HttpIntakeTest, EveryRejectionIsPreciseAndStoresNothing) {
  PutConsent("acct-ok", true, true);
  PutConsent("acct-nostore", false, false);
  const std::string before = StorageFingerprint(*env_.ctx, data_dir());
  const std::string wav = EncodeAs(Signal(1000, 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  const std::string ok_meta = MetadataJson("acct-ok", "SN", "2026-11-21T10:00:00Z");
  const std::string other_stream = "other-tenants-stream";
  {
    ingest::StreamSpec spec;
    spec.name = other_stream;
    spec.tenant = "another-product";
    ASSERT_TRUE(ingest::CreateStream(*env_.ctx, spec).ok());
  }
  struct Case {
    std::string name, key, audio, metadata;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"missing key", "", wav, ok_meta, 401, "missing_api_key"},
      {"wrong key", "esk_wrong", wav, ok_meta, 401, "bad_api_key"},
      // Issue 11: a name that exists elsewhere and one that exists nowhere
      // get the same answer, so a key cannot probe other streams' names.
      {"unknown stream", env_.api_key, wav,
       R"({"account":"acct-ok","device_serial":"SN","captured_at":"2026-11-21T10:00:00Z",
           "locale":"en-US","stream":"no-such-stream"})",
       403, "stream_mismatch"},
      {"another tenant's stream", env_.api_key, wav,
       R"({"account":"acct-ok","device_serial":"SN","captured_at":"2026-11-21T10:00:00Z",
           "locale":"en-US","stream":")" + other_stream + R"("})",
       403, "stream_mismatch"},
      {"no consent at all", env_.api_key, wav,
       MetadataJson("acct-never-seen", "SN", "2026-11-21T10:00:00Z"), 403, "no_store_consent"},
      {"store consent refused", env_.api_key, wav,
       MetadataJson("acct-nostore", "SN", "2026-11-21T10:00:00Z"), 403, "no_store_consent"},
      {"undecodable", env_.api_key, "GIF89a not audio", ok_meta, 415, "undecodable_audio"},
      {"empty", env_.api_key, "", ok_meta, 400, "empty_audio"},
      {"over-long", env_.api_key, EncodeAs(Signal(31000, 2), SF_FORMAT_WAV | SF_FORMAT_PCM_16),
       ok_meta, 413, "audio_too_long"},
      {"metadata not json", env_.api_key, wav, "{account:", 400, "malformed_metadata"},
      {"metadata bad time", env_.api_key, wav, MetadataJson("acct-ok", "SN", "21/11/2026"), 400,
       "malformed_metadata"},
  };
  for (const auto& c : cases) {
    auto res = PostRecording(c.key, c.audio, c.metadata);
    ASSERT_TRUE(res) << c.name;
    EXPECT_EQ(res->status, c.status) << c.name << ": " << res->body;
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.contains("error")) << c.name << ": " << res->body;
    EXPECT_EQ(body["error"]["code"], c.code) << c.name;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
    EXPECT_EQ(StorageFingerprint(*env_.ctx, data_dir()), before) << c.name << " stored something";
  }
  // Not multipart, and a body over the 20 MB limit.
  auto plain = Client().Post("/api/v1/recordings", Bearer(env_.api_key), "{}", "application/json");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 400);
  EXPECT_NE(plain->body.find("not_multipart"), std::string::npos);
  auto huge = PostRecording(env_.api_key, std::string(21 << 20, 'x'), ok_meta);
  if (huge) {  // the server may close the connection before reading it all
    EXPECT_EQ(huge->status, 413);
    EXPECT_NE(huge->body.find("body_too_large"), std::string::npos) << huge->body;
  }
  EXPECT_EQ(StorageFingerprint(*env_.ctx, data_dir()), before);

  auto metrics = Client().Get("/metrics");
  ASSERT_TRUE(metrics);
  for (const auto& c : cases) {
    EXPECT_NE(metrics->body.find("earshot_recordings_rejected_total{reason=\"" + c.code + "\"}"),
              std::string::npos)
        << c.code;
  }
}

TEST_F(HttpIntakeTest, EachSupportedFormatIsAccepted) {
  PutConsent("acct-formats", true, false);
  for (int format : {SF_FORMAT_WAV | SF_FORMAT_PCM_16, SF_FORMAT_FLAC | SF_FORMAT_PCM_16,
                     SF_FORMAT_OGG | SF_FORMAT_VORBIS, SF_FORMAT_OGG | SF_FORMAT_OPUS,
                     SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III}) {
    auto res = PostRecording(env_.api_key, EncodeAs(Signal(1000, 8, 48000), format),
                             MetadataJson("acct-formats", "SN", "2026-11-21T10:00:00Z"));
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 201) << std::hex << format << ": " << res->body;
  }
}

TEST_F(HttpIntakeTest, ConsentAndTokenEndpointsValidateInput) {
  for (const std::string& body :
       {std::string("not json"), std::string(R"({"purposes":{"store":true},"policy_version":"1"})"),
        std::string(R"({"account":"a","purposes":{"store":"yes"},"policy_version":"1"})"),
        std::string(R"({"account":"a","purposes":{"marketing":true},"policy_version":"1"})"),
        std::string(R"({"account":"a","purposes":{"store":true}})")}) {
    auto res = Client().Put("/api/v1/consents", Bearer(env_.api_key), body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << body << " -> " << res->body;
  }
  auto res = Client().Put("/api/v1/consents", Bearer("esk_nope"),
                          R"({"account":"a","purposes":{"store":true},"policy_version":"1"})",
                          "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  auto tok = Client().Post("/api/v1/subject-tokens", Bearer(env_.api_key),
                           R"({"account":"a","ttl_seconds":-5})", "application/json");
  ASSERT_TRUE(tok);
  EXPECT_EQ(tok->status, 400);
}

TEST_F(HttpIntakeTest, HealthAndUnknownRoutes) {
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto missing = Client().Get("/api/v1/nothing-here");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("no_such_route"), std::string::npos);
}

}  // namespace
}  // namespace earshot::testing
