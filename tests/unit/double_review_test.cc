// Double review (issue 15, item 1): a stream's share of clips gets two
// independent reviews; a reviewer never gets a second task of a clip they
// were given (skipped, held, heard or answered), sees nothing of the other
// review, and a disagreement queues a third review.
#include "review/double_review.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/intake.h"
#include "review/queue.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class DoubleReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    ingest::StreamSpec spec = env_.stream.spec;
    spec.double_review = 1.0;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec, "test"));
    env_.stream.spec = spec;
    GrantConsent(*env_.ctx, "acct-d", true, true);
  }
  void IngestOne(uint32_t seed = 1) {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta("acct-d", env_.clock.NowMs(), "SN", "turn on the lights"),
        EncodeAs(Signal(1200, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
  }
  std::optional<review::LeasedTask> Lease(const staff::StaffMember& who) {
    auto task = review::LeaseNext(*env_.ctx, who);
    EXPECT_TRUE(task.ok()) << task.status().ToString();
    return task.ok() ? *task : std::nullopt;
  }
  void Answer(const staff::StaffMember& who, const std::string& task, const std::string& json) {
    auto input = review::ParseAnnotation(json);
    ASSERT_TRUE(input.ok()) << input.status().ToString();
    ASSERT_OK(review::Annotate(*env_.ctx, who, task, *input));
  }
  int64_t Queued() {
    return QueryInt(*env_.ctx, "SELECT COUNT(*) FROM tasks WHERE state = 'queued'");
  }
  Env env_;
};

constexpr const char* kLights =
    R"({"transcript":"turn on the lights","intended":true,"heard_accurately":true,
        "responded_appropriately":true})";

TEST_F(DoubleReviewTest, TwoReviewersEachGetTheClipOnceAndNeverTheSameTwice) {
  IngestOne();
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM tasks"), 2);
  const auto alice = Reviewer(*env_.ctx, "alice"), bob = Reviewer(*env_.ctx, "bob");
  auto first = Lease(alice);
  ASSERT_TRUE(first.has_value());
  // Alice may hold two leases, but never the clip's second task.
  EXPECT_FALSE(Lease(alice).has_value());
  ASSERT_TRUE(review::TaskAudio(*env_.ctx, alice, first->task_id).ok());
  // Heard, then skipped or let lapse: still never hers again.
  ASSERT_OK(review::Skip(*env_.ctx, alice, first->task_id));
  EXPECT_FALSE(Lease(alice).has_value());
  auto second = Lease(bob);
  ASSERT_TRUE(second.has_value());
  // Bob's task carries nothing of Alice's: only the clip and the machine's words.
  auto third = Lease(Reviewer(*env_.ctx, "carol"));
  ASSERT_TRUE(third.has_value());
  EXPECT_NE(second->task_id, third->task_id);
  EXPECT_EQ(second->masked_hypothesis, third->masked_hypothesis);
  Answer(bob, second->task_id, kLights);
  EXPECT_FALSE(Lease(bob).has_value()) << "bob has answered this clip";
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM clips WHERE review_ended_at IS NULL"), 1)
      << "the clip's review ends with its last review";
}

TEST_F(DoubleReviewTest, AgreementEndsTheReviewAndDisagreementQueuesAThird) {
  // Clip 1's tasks are older than clip 2's, so both reviewers take clip 1 first.
  IngestOne(1);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  env_.clock.Advance(1000);
  IngestOne(2);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const auto alice = Reviewer(*env_.ctx, "alice"), bob = Reviewer(*env_.ctx, "bob");
  // Clip 1: the same words, one grade "can't tell" (no vote): they agree.
  auto a1 = Lease(alice), b1 = Lease(bob);
  ASSERT_TRUE(a1 && b1);
  Answer(alice, a1->task_id, kLights);
  Answer(bob, b1->task_id,
         R"({"transcript":"Turn on the lights.","intended":true,"heard_accurately":"cant_tell",
             "responded_appropriately":true})");
  EXPECT_EQ(Queued(), 2) << "clip 2's two tasks only";
  // Clip 2: the same words but opposite grades: a third review follows.
  auto a2 = Lease(alice), b2 = Lease(bob);
  ASSERT_TRUE(a2 && b2);
  Answer(alice, a2->task_id, kLights);
  Answer(bob, b2->task_id,
         R"({"transcript":"turn on the lights","intended":false,"heard_accurately":true,
             "responded_appropriately":true})");
  EXPECT_EQ(Queued(), 1);
  EXPECT_FALSE(Lease(alice).has_value()) << "neither of the first two gets the third";
  EXPECT_FALSE(Lease(bob).has_value());
  const auto carol = Reviewer(*env_.ctx, "carol");
  auto c2 = Lease(carol);
  ASSERT_TRUE(c2.has_value());
  Answer(carol, c2->task_id, kLights);
  EXPECT_EQ(Queued(), 0) << "three reviews at most";
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT MAX(reviews_wanted) FROM clips"),
            review::kMaxReviewsPerClip);
}

TEST(DoubleReviewRules, TranscriptsDisagreeByWordErrorRateAndCantTellIsNoVote) {
  EXPECT_DOUBLE_EQ(review::TranscriptDisagreement("", ""), 0.0);
  EXPECT_DOUBLE_EQ(review::TranscriptDisagreement("Turn on the lights.", "turn on the lights"),
                   0.0);
  EXPECT_DOUBLE_EQ(review::TranscriptDisagreement("turn on the lights", "turn off the lights"),
                   0.25);
  EXPECT_DOUBLE_EQ(review::TranscriptDisagreement("turn on the lights", ""), 1.0);
  EXPECT_DOUBLE_EQ(review::TranscriptDisagreement("a b", "a b c d"),
                   review::TranscriptDisagreement("a b c d", "a b"));
  const review::ReviewAnswers yes{"turn on the lights", true, true, true};
  review::ReviewAnswers other = yes;
  EXPECT_FALSE(review::Disagree(yes, other, 0.2));
  other.transcript = "turn off the lights";
  EXPECT_TRUE(review::Disagree(yes, other, 0.2));
  EXPECT_FALSE(review::Disagree(yes, other, 0.25)) << "at the threshold is agreement";
  other = yes;
  other.responded_appropriately = std::nullopt;
  EXPECT_FALSE(review::Disagree(yes, other, 0.2));
  other.responded_appropriately = false;
  EXPECT_TRUE(review::Disagree(yes, other, 0.2));
}

TEST(DoubleReviewRules, TheShareOfDoubledClipsFollowsTheSetting) {
  Env env;
  env.Open(1.0);
  int doubled = 0;
  for (int i = 0; i < 2000; ++i) {
    const int64_t n =
        review::ReviewsWanted(*env.ctx, env.stream.id, "clp" + std::to_string(i), 0.1);
    ASSERT_TRUE(n == 1 || n == 2);
    doubled += n == 2;
    // The same clip always draws the same.
    ASSERT_EQ(n, review::ReviewsWanted(*env.ctx, env.stream.id, "clp" + std::to_string(i), 0.1));
  }
  EXPECT_NEAR(doubled / 2000.0, 0.1, 0.025);  // about 4 standard deviations
  EXPECT_EQ(review::ReviewsWanted(*env.ctx, env.stream.id, "clp1", 0.0), 1);
  EXPECT_EQ(review::ReviewsWanted(*env.ctx, env.stream.id, "clp1", 1.0), 2);
}

}  // namespace
}  // namespace earshot
