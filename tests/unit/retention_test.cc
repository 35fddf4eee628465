// DESIGN.md invariant 10, on the fake clock.
#include "rights/retention.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "review/queue.h"
#include "rights/subject_data.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class RetentionTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.Open(1.0); }
  std::string SubjectFor(const std::string& account, const std::string& retention) {
    GrantConsent(*env_.ctx, account, true, true);
    const std::string id = SubjectIdOf(*env_.ctx, account);
    if (!retention.empty()) EXPECT_TRUE(rights::SetRetention(*env_.ctx, id, retention).ok());
    return id;
  }
  std::string Ingest(const std::string& account) {
    auto out = ingest::IngestRecording(*env_.ctx, env_.stream, Meta(account, env_.clock.NowMs()),
                                       EncodeAs(Signal(500, 9), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    EXPECT_TRUE(out.ok());
    return out->recording_id;
  }
  bool HasAudio(const std::string& subject, const std::string& rec) {
    return rights::RecordingAudioWav(*env_.ctx, subject, rec).ok();
  }
  Env env_;
};

TEST_F(RetentionTest, RawAudioIsDeletedAtTheSubjectsChosenAge) {
  const std::string three = SubjectFor("acct-3m", "3m");
  const std::string eighteen = SubjectFor("acct-18m", "18m");
  const std::string never = SubjectFor("acct-never", "never");
  const std::string unset = SubjectFor("acct-default", "");  // stream default: 18m
  const std::string r3 = Ingest("acct-3m"), r18 = Ingest("acct-18m"), rn = Ingest("acct-never"),
                    rd = Ingest("acct-default");
  env_.clock.Advance(89 * kMsPerDay);
  ASSERT_EQ(rights::RunRetentionSweep(*env_.ctx)->raw_deleted, 0);
  EXPECT_TRUE(HasAudio(three, r3));
  env_.clock.Advance(2 * kMsPerDay);
  ASSERT_EQ(rights::RunRetentionSweep(*env_.ctx)->raw_deleted, 1);
  EXPECT_EQ(rights::RecordingAudioWav(*env_.ctx, three, r3).status().reason(), "audio_deleted");
  EXPECT_TRUE(HasAudio(eighteen, r18));
  env_.clock.Advance(460 * kMsPerDay);  // day 551 > 548
  ASSERT_EQ(rights::RunRetentionSweep(*env_.ctx)->raw_deleted, 2);
  EXPECT_FALSE(HasAudio(eighteen, r18));
  EXPECT_FALSE(HasAudio(unset, rd));
  env_.clock.Advance(3650 * kMsPerDay);
  ASSERT_EQ(rights::RunRetentionSweep(*env_.ctx)->raw_deleted, 0);
  EXPECT_TRUE(HasAudio(never, rn)) << "never means never deleted automatically";
  // The listing still shows the recording, without audio.
  auto list = rights::ListRecordings(*env_.ctx, three);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].audio_available);
}

TEST_F(RetentionTest, ShorteningRetentionAppliesToExistingRecordings) {
  const std::string s = SubjectFor("acct-x", "never");
  const std::string rec = Ingest("acct-x");
  env_.clock.Advance(100 * kMsPerDay);
  ASSERT_EQ(rights::RunRetentionSweep(*env_.ctx)->raw_deleted, 0);
  ASSERT_OK(rights::SetRetention(*env_.ctx, s, "3m"));
  ASSERT_EQ(rights::RunRetentionSweep(*env_.ctx)->raw_deleted, 1);
  EXPECT_FALSE(HasAudio(s, rec));
  EXPECT_EQ(rights::SetRetention(*env_.ctx, s, "forever").reason(), "bad_retention");
}

TEST_F(RetentionTest, ClipsAreDeletedDaysAfterTheirReviewEnds) {
  SubjectFor("acct-c", "never");
  Ingest("acct-c");
  Ingest("acct-c");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 2);
  const auto alice = Reviewer(*env_.ctx, "alice");
  auto task = review::LeaseNext(*env_.ctx, alice);
  ASSERT_TRUE(task.ok() && task->has_value());
  ASSERT_OK(review::Annotate(*env_.ctx, alice, (*task)->task_id, {"words"}));
  const int64_t days = env_.ctx->config().clip_retention_days;
  env_.clock.Advance((days - 1) * kMsPerDay);
  EXPECT_EQ(rights::RunRetentionSweep(*env_.ctx)->clips_deleted, 0);
  env_.clock.Advance(2 * kMsPerDay);
  EXPECT_EQ(rights::RunRetentionSweep(*env_.ctx)->clips_deleted, 1)
      << "only the reviewed clip expires; the unreviewed one waits";
  auto blobs = env_.ctx->blobs().ListAll();
  ASSERT_TRUE(blobs.ok());
  EXPECT_EQ(blobs->size(), 3u);  // two raw recordings + the unreviewed clip
}

TEST_F(RetentionTest, OrphanBlobsFromACrashAreSwept) {
  SubjectFor("acct-o", "never");
  const std::string rec = Ingest("acct-o");
  ASSERT_OK(env_.ctx->blobs().Put("rec_orphanfromcrash", "sealed-bytes"));
  // File times are wall-clock times, whatever the context's clock says.
  auto removed = rights::SweepOrphanBlobs(*env_.ctx, SystemClock().NowMs() + kMsPerDay);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(env_.ctx->blobs().Get("rec_orphanfromcrash").status().reason(), "blob_missing");
  EXPECT_TRUE(env_.ctx->blobs().Get(rec).ok());
}

}  // namespace
}  // namespace earshot
