// DESIGN.md invariants 1 (no consent, no review), 4 (only de-identified clips
// are assignable) and 5 (leases): each test tries to break one.
#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/streams.h"
#include "pipeline/jobs.h"
#include "review/queue.h"
#include "rights/subject_data.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class ReviewQueueTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.Open(1.0); }

  std::string Ingest(const std::string& account, uint32_t seed = 1) {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta(account, env_.clock.NowMs(), "SN", "turn on the lights"),
        EncodeAs(Signal(1200, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->recording_id : "";
  }

  std::optional<review::LeasedTask> Lease(const staff::StaffMember& who) {
    auto task = review::LeaseNext(*env_.ctx, who);
    EXPECT_TRUE(task.ok()) << task.status().ToString();
    return task.ok() ? *task : std::nullopt;
  }

  void Advance(int64_t ms) { env_.clock.Advance(ms); }
  Env env_;
};

TEST_F(ReviewQueueTest, WithoutHumanReviewConsentNoTaskEverExists) {
  GrantConsent(*env_.ctx, "acct-store-only", true, false);
  Ingest("acct-store-only");
  EXPECT_EQ(RunFakeStages(*env_.ctx, AllStages()), 0);
  // Granting consent later does not make an earlier recording reviewable:
  // consent must have held at capture.
  Advance(1000);
  GrantConsent(*env_.ctx, "acct-store-only", true, true);
  EXPECT_EQ(RunFakeStages(*env_.ctx, AllStages()), 0);
  EXPECT_FALSE(Lease(Reviewer(*env_.ctx, "r1")).has_value());
}

TEST_F(ReviewQueueTest, ConsentGrantedAfterCaptureDoesNotCount) {
  GrantConsent(*env_.ctx, "acct-late", true, false);
  Advance(5000);
  GrantConsent(*env_.ctx, "acct-late", true, true);
  // Captured (by the product's clock) before the grant.
  auto out =
      ingest::IngestRecording(*env_.ctx, env_.stream, Meta("acct-late", env_.clock.NowMs() - 3000),
                              EncodeAs(Signal(900, 2), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->review_candidate);
}

TEST_F(ReviewQueueTest, ClipMissingAnyRequiredStageIsNeverAssignable) {
  GrantConsent(*env_.ctx, "acct-a", true, true);
  for (const pipeline::Stage missing : pipeline::RequiredStages()) {
    Ingest("acct-a");
    pipeline::StageSet partial = AllStages();
    partial.erase(missing);
    EXPECT_EQ(RunFakeStages(*env_.ctx, partial), 0) << "missing " << StageName(missing);
  }
  // Such clips are not even stored.
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM clips"), 0);
  auto blobs = env_.ctx->blobs().ListAll();
  ASSERT_TRUE(blobs.ok());
  EXPECT_EQ(blobs->size(), pipeline::RequiredStages().size()) << "only the raw recordings";
  // Even if a clip row that missed a stage and a task for it were forced into
  // the database, the queue re-checks the flag.
  ASSERT_OK(env_.ctx->db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rec, store::QueryOne(tx,
                                               "SELECT id, subject_id, stream_id FROM "
                                               "recordings LIMIT 1",
                                               {}, "recording"));
    RETURN_IF_ERROR(tx.Exec("INSERT INTO clips (id, recording_id, subject_id, stream_id, "
                            "blob_name, wrapped_key, duration_ms, stages_passed, deidentified, "
                            "masked_text_sealed, created_at) VALUES ('clp_forced', ?, ?, ?, "
                            "?, 'x', 1000, 'transcribe', 0, 'x', 0)",
                            {rec.Text(0), rec.Text(1), rec.Text(2), rec.Text(0)})
                        .status());
    return tx
        .Exec(
            "INSERT INTO tasks (id, clip_id, state, reviewer_id, lease_until, created_at, "
            "completed_at) VALUES ('tsk_forced', 'clp_forced', 'queued', NULL, 0, 0, NULL)")
        .status();
  }));
  EXPECT_FALSE(Lease(Reviewer(*env_.ctx, "r1")).has_value());
}

TEST_F(ReviewQueueTest, RevokingConsentWithdrawsQueuedAndLeasedTasksAtOnce) {
  GrantConsent(*env_.ctx, "acct-b", true, true);
  Ingest("acct-b", 1);
  Ingest("acct-b", 2);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 2);
  const auto reviewer = Reviewer(*env_.ctx, "r1");
  auto leased = Lease(reviewer);
  ASSERT_TRUE(leased.has_value());
  ASSERT_TRUE(review::TaskAudio(*env_.ctx, reviewer, leased->task_id).ok());

  GrantConsent(*env_.ctx, "acct-b", true, false);  // revoke human_review
  auto audio = review::TaskAudio(*env_.ctx, reviewer, leased->task_id);
  EXPECT_EQ(audio.status().reason(), "no_such_task");
  EXPECT_EQ(review::Annotate(*env_.ctx, reviewer, leased->task_id, {"x"}).reason(), "no_such_task");
  EXPECT_FALSE(Lease(Reviewer(*env_.ctx, "r2")).has_value()) << "the queued task must be gone too";
  // Re-granting does not resurrect withdrawn tasks.
  GrantConsent(*env_.ctx, "acct-b", true, true);
  EXPECT_FALSE(Lease(Reviewer(*env_.ctx, "r3")).has_value());
}

TEST_F(ReviewQueueTest, AClipPlaysOnlyAFewTimes) {
  GrantConsent(*env_.ctx, "acct-plays", true, true);
  Ingest("acct-plays");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const auto rev = Reviewer(*env_.ctx, "r-plays");
  auto task = Lease(rev);
  ASSERT_TRUE(task);
  const ByteRangeSpec rest{44, std::nullopt};
  EXPECT_EQ(review::TaskAudio(*env_.ctx, rev, task->task_id, rest).status().reason(),
            "no_live_play")
      << "a continuation needs a play first";
  const int64_t max = env_.ctx->config().max_plays_per_task;
  for (int64_t i = 0; i < max; ++i) {
    ASSERT_TRUE(review::TaskAudio(*env_.ctx, rev, task->task_id).ok()) << i;
  }
  EXPECT_EQ(review::TaskAudio(*env_.ctx, rev, task->task_id).status().reason(), "play_limit");
  auto tail = review::TaskAudio(*env_.ctx, rev, task->task_id, rest);
  ASSERT_TRUE(tail.ok()) << "a seek within the last play still streams";
  EXPECT_TRUE(tail->partial);
  EXPECT_EQ(
      QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'task.listen.refused'"),
      2);
}

// Issue 11: after the last play, ranges fetched the whole clip again with no
// listen and no audit event. Each form of range an attacker used now either
// starts a counted play (and meets the limit) or continues the live one
// within its byte allowance; nothing else is served.
TEST_F(ReviewQueueTest, Regression11RangesCannotBypassThePlayLimit) {
  GrantConsent(*env_.ctx, "acct-range", true, true);
  Ingest("acct-range");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const auto rev = Reviewer(*env_.ctx, "r-range");
  auto task = Lease(rev);
  ASSERT_TRUE(task);
  const int64_t max = env_.ctx->config().max_plays_per_task;
  uint64_t total = 0;
  for (int64_t i = 0; i < max; ++i) {
    auto whole = review::TaskAudio(*env_.ctx, rev, task->task_id);
    ASSERT_TRUE(whole.ok()) << i;
    total = whole->total;
  }
  auto reason = [&](std::optional<ByteRangeSpec> spec) {
    return review::TaskAudio(*env_.ctx, rev, task->task_id, spec).status().reason();
  };
  // "bytes=-100000000" and "bytes=00-" start at byte 0: a new play, refused.
  EXPECT_EQ(reason(ByteRangeSpec{std::nullopt, 100000000}), "play_limit");
  EXPECT_EQ(reason(ByteRangeSpec{0, std::nullopt}), "play_limit");
  // "bytes=1-" and "bytes=44-" continue the fifth play: its byte allowance
  // (twice the clip, the first fetch included) lets one more copy through.
  EXPECT_EQ(reason(ByteRangeSpec{1, std::nullopt}), "");
  EXPECT_EQ(reason(ByteRangeSpec{44, std::nullopt}), "play_bytes_exhausted");
  EXPECT_EQ(reason(ByteRangeSpec{total - 1, std::nullopt}), "") << "the allowance's last byte";
  EXPECT_EQ(reason(ByteRangeSpec{total - 1, std::nullopt}), "play_bytes_exhausted");
  // Once the play is no longer live, no range continues it.
  env_.clock.Advance(env_.ctx->config().play_live_ms + 1);
  ASSERT_TRUE(review::RenewLease(*env_.ctx, rev, task->task_id).ok());
  EXPECT_EQ(reason(ByteRangeSpec{total - 1, std::nullopt}), "no_live_play");
  // One listen per play, whatever the ranges; every refusal audited.
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM listens"), max);
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT SUM(bytes_served) FROM listens"),
            static_cast<int64_t>((max + 1) * total));
  EXPECT_EQ(
      QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'task.listen.refused'"),
      5);
  EXPECT_EQ(
      QueryInt(*env_.ctx, "SELECT COUNT(*) FROM audit_events WHERE action = 'task.listen.range'"),
      2);
}

TEST_F(ReviewQueueTest, OnlyTheLeaseHolderHearsTheClipAndOnlyWhileTheLeaseLives) {
  GrantConsent(*env_.ctx, "acct-c", true, true);
  Ingest("acct-c");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const auto alice = Reviewer(*env_.ctx, "alice");
  const auto bob = Reviewer(*env_.ctx, "bob");
  auto task = Lease(alice);
  ASSERT_TRUE(task.has_value());
  EXPECT_EQ(task->masked_hypothesis, "turn on the lights");
  EXPECT_TRUE(review::TaskAudio(*env_.ctx, alice, task->task_id).ok());
  EXPECT_EQ(review::TaskAudio(*env_.ctx, bob, task->task_id).status().reason(), "no_such_task");
  EXPECT_EQ(review::Skip(*env_.ctx, bob, task->task_id).reason(), "no_such_task");
  EXPECT_FALSE(Lease(bob).has_value()) << "a leased task is not offered to another reviewer";

  Advance(env_.ctx->config().lease_ms + 1);
  EXPECT_EQ(review::TaskAudio(*env_.ctx, alice, task->task_id).status().reason(), "no_such_task");
  auto again = Lease(bob);
  ASSERT_TRUE(again.has_value()) << "an expired lease returns the task to the queue";
  EXPECT_EQ(again->task_id, task->task_id);
  EXPECT_TRUE(review::TaskAudio(*env_.ctx, bob, again->task_id).ok());
  EXPECT_EQ(review::TaskAudio(*env_.ctx, alice, again->task_id).status().reason(), "no_such_task");
}

TEST_F(ReviewQueueTest, AnnotationCompletesTaskAndListensAreVisibleToTheSubject) {
  GrantConsent(*env_.ctx, "acct-d", true, true);
  const std::string rec = Ingest("acct-d");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const auto alice = Reviewer(*env_.ctx, "alice");
  auto task = Lease(alice);
  ASSERT_TRUE(task.has_value());
  ASSERT_TRUE(review::TaskAudio(*env_.ctx, alice, task->task_id).ok());
  auto input = review::ParseAnnotation(
      R"({"transcript":"turn on the lights","intended":true,"heard_accurately":true,
          "responded_appropriately":false,"flags":["not_speech"]})");
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  ASSERT_OK(review::Annotate(*env_.ctx, alice, task->task_id, *input));
  EXPECT_EQ(review::Annotate(*env_.ctx, alice, task->task_id, *input).reason(), "no_such_task")
      << "a task is annotated once";
  EXPECT_FALSE(Lease(alice).has_value());

  std::string subject_id;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject_id,
                     rights::FindSubjectByAccount(tx, *env_.ctx, rights::kDefaultTenant, "acct-d"));
    return Status::Ok();
  }));
  auto list = rights::ListRecordings(*env_.ctx, subject_id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, rec);
  ASSERT_EQ((*list)[0].listens.size(), 1u);
  EXPECT_EQ((*list)[0].listens[0].reviewer_pseudonym, alice.pseudonym);
  EXPECT_NE(alice.pseudonym.find("reviewer-"), std::string::npos);
  EXPECT_EQ(alice.pseudonym.find("alice"), std::string::npos);
}

TEST_F(ReviewQueueTest, SkippedTaskGoesToSomeoneElse) {
  GrantConsent(*env_.ctx, "acct-e", true, true);
  Ingest("acct-e");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const auto alice = Reviewer(*env_.ctx, "alice");
  auto task = Lease(alice);
  ASSERT_TRUE(task.has_value());
  ASSERT_OK(review::Skip(*env_.ctx, alice, task->task_id));
  EXPECT_FALSE(Lease(alice).has_value());
  auto other = Lease(Reviewer(*env_.ctx, "bob"));
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other->task_id, task->task_id);
}

TEST_F(ReviewQueueTest, PausedRegionIsNeitherSampledNorAssigned) {
  GrantConsent(*env_.ctx, "acct-f", true, true);
  Ingest("acct-f", 1);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  ASSERT_OK(ingest::PauseRegion(*env_.ctx, "US"));
  auto out = ingest::IngestRecording(*env_.ctx, env_.stream, Meta("acct-f", env_.clock.NowMs()),
                                     EncodeAs(Signal(900, 3), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->review_candidate);
  const auto alice = Reviewer(*env_.ctx, "alice");
  EXPECT_FALSE(Lease(alice).has_value());
  ASSERT_OK(ingest::ResumeRegion(*env_.ctx, "US"));
  EXPECT_TRUE(Lease(alice).has_value());
}

TEST_F(ReviewQueueTest, ReviewerHoldsAtMostTwoLeases) {
  GrantConsent(*env_.ctx, "acct-g", true, true);
  for (uint32_t i = 0; i < 3; ++i) Ingest("acct-g", i);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 3);
  const auto alice = Reviewer(*env_.ctx, "alice");
  ASSERT_TRUE(Lease(alice).has_value());
  ASSERT_TRUE(Lease(alice).has_value());
  EXPECT_EQ(review::LeaseNext(*env_.ctx, alice).status().reason(), "lease_limit");
}

TEST_F(ReviewQueueTest, SamplingRateZeroQueuesNothing) {
  Env zero;
  zero.Open(0.0);
  GrantConsent(*zero.ctx, "acct-h", true, true);
  for (uint32_t i = 0; i < 20; ++i) {
    auto out = ingest::IngestRecording(*zero.ctx, zero.stream, Meta("acct-h", zero.clock.NowMs()),
                                       EncodeAs(Signal(300, i), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out->review_candidate);
  }
}

TEST_F(ReviewQueueTest, AWorkerWhoseLeaseExpiredCannotPublish) {
  GrantConsent(*env_.ctx, "acct-j", true, true);
  Ingest("acct-j");
  auto first = pipeline::ClaimNextJob(*env_.ctx, 1000);
  ASSERT_TRUE(first.ok() && first->has_value());
  auto input = pipeline::LoadJobInput(*env_.ctx, **first);
  ASSERT_TRUE(input.ok());
  Advance(1001);  // the first worker stalls past its lease
  auto second = pipeline::ClaimNextJob(*env_.ctx, 60'000);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->id, (*first)->id);
  pipeline::ClipDraft draft{input->audio, "text", AllStages()};
  EXPECT_EQ(pipeline::PublishClips(*env_.ctx, **first, {draft}).status().reason(), "job_lost");
  auto published = pipeline::PublishClips(*env_.ctx, **second, {draft});
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(*published, 1);
  EXPECT_EQ(pipeline::PublishClips(*env_.ctx, **second, {draft}).status().reason(), "job_lost")
      << "a finished job is not published twice";
  auto blobs = env_.ctx->blobs().ListAll();
  ASSERT_TRUE(blobs.ok());
  EXPECT_EQ(blobs->size(), 2u) << "one recording, one clip: the losers' blobs were removed";
}

TEST_F(ReviewQueueTest, AJobDroppedByRevocationIsNotPublishedAfterRegrant) {
  GrantConsent(*env_.ctx, "acct-k", true, true);
  Ingest("acct-k");
  auto job = pipeline::ClaimNextJob(*env_.ctx, 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  auto input = pipeline::LoadJobInput(*env_.ctx, **job);
  ASSERT_TRUE(input.ok());
  GrantConsent(*env_.ctx, "acct-k", true, false);
  GrantConsent(*env_.ctx, "acct-k", true, true);
  pipeline::ClipDraft draft{input->audio, "text", AllStages()};
  EXPECT_EQ(pipeline::PublishClips(*env_.ctx, **job, {draft}).status().reason(), "job_lost");
  EXPECT_FALSE(Lease(Reviewer(*env_.ctx, "r1")).has_value());
}

// Issue 13, item 3: a clip submitted untouched is not a review. Every
// question needs true, false or "cant_tell", and the refusal names each
// one missing.
TEST(Annotation, EveryQuestionNeedsAnAnswerAndTheRefusalNamesTheMissing) {
  auto none = review::ParseAnnotation(R"({"transcript":"x"})");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().reason(), "missing_answer");
  EXPECT_EQ(none.status().message(),
            "not answered: intended, heard_accurately, responded_appropriately "
            "(each takes true, false or \"cant_tell\")");
  auto one = review::ParseAnnotation(
      R"({"transcript":"x","intended":true,"heard_accurately":null,"responded_appropriately":false})");
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.status().reason(), "missing_answer");
  EXPECT_EQ(one.status().message().rfind("not answered: heard_accurately (", 0), 0u)
      << one.status().message();
  auto honest = review::ParseAnnotation(
      R"({"transcript":"x","intended":"cant_tell","heard_accurately":false,
          "responded_appropriately":"cant_tell"})");
  ASSERT_TRUE(honest.ok()) << honest.status().ToString();
  EXPECT_FALSE(honest->intended.has_value()) << "can't tell is stored as no answer";
  EXPECT_EQ(honest->heard_accurately, false);
  EXPECT_FALSE(honest->responded_appropriately.has_value());
}

TEST(Annotation, RejectsMalformedInput) {
  for (
      const char* bad :
      {"", "[]", R"({"intended":true})", R"({"transcript":5})",
       R"({"transcript":"x","intended":"yes"})", R"({"transcript":"x","flags":["party"]})",
       R"({"transcript":"x","flags":"distress"})", R"({"transcript":"x","note":7})",
       R"({"transcript":"x","intended":1,"heard_accurately":true,"responded_appropriately":true})"}) {
    auto in = review::ParseAnnotation(bad);
    EXPECT_FALSE(in.ok()) << bad;
    if (!in.ok()) EXPECT_EQ(in.status().reason(), "malformed_annotation");
  }
}

}  // namespace
}  // namespace earshot
