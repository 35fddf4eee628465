// A leaked or runaway stream key floods intake (issue 11: there was no
// per-key limit). Past its burst the key gets 429 with Retry-After, nothing
// of the refused requests is stored, and other keys are not affected.
#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/streams.h"
#include "integration/http_fixture.h"

namespace earshot::testing {
namespace {

class IngestFloodAttack : public HttpTest {
 protected:
  void SetUp() override {
    ::setenv("EARSHOT_INGEST_RATE", "1", 1);  // one a second; the burst stays 200
    HttpTest::SetUp();
    ::unsetenv("EARSHOT_INGEST_RATE");
  }
};

TEST_F(IngestFloodAttack, Regression11AKeyPastItsBurstIsRefusedAndStoresNothing) {
  PutConsent("acct-flood", true, false);
  const std::string wav = EncodeAs(Signal(300, 7), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  const std::string meta = MetadataJson("acct-flood", "SN", "2026-11-21T10:00:00Z");
  int accepted = 0, limited = 0;
  std::string retry_after;
  for (int i = 0; i < 230; ++i) {
    auto res = PostRecording(env_.api_key, wav, meta);
    ASSERT_TRUE(res);
    if (res->status == 201) ++accepted;
    if (res->status == 429) {
      ++limited;
      retry_after = res->get_header_value("Retry-After");
      EXPECT_NE(res->body.find("rate_limited"), std::string::npos);
    }
  }
  EXPECT_GE(accepted, 200);
  EXPECT_LE(accepted, 205) << "the burst, plus what refilled meanwhile";
  EXPECT_GE(limited, 25);
  EXPECT_FALSE(retry_after.empty());
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM recordings"), accepted)
      << "a refused request stores nothing";
  // Another stream's key is not held back by this one's flood.
  ingest::StreamSpec other;
  other.name = "other-stream";
  auto created = ingest::CreateStream(*env_.ctx, other);
  ASSERT_TRUE(created.ok());
  auto res = PostRecording(created->api_key, wav, meta);
  ASSERT_TRUE(res);
  EXPECT_NE(res->status, 429) << res->body;
}

}  // namespace
}  // namespace earshot::testing
