// Workload limits: the shift's clip cap and distress cap stop assignment, a
// break pauses it (and releases held leases), and the window rolls.
#include "review/workload.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "review/queue.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class WorkloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    GrantConsent(*env_.ctx, "acct-w", true, true);
    reviewer_ = Reviewer(*env_.ctx, "rev-w");
  }

  // `n` assignable clips.
  void Clips(int n) {
    for (int i = 0; i < n; ++i) {
      auto out =
          ingest::IngestRecording(*env_.ctx, env_.stream, Meta("acct-w", env_.clock.NowMs()),
                                  EncodeAs(Signal(800, 100 + static_cast<uint32_t>(i) + seed_),
                                           SF_FORMAT_WAV | SF_FORMAT_PCM_16));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
    }
    seed_ += static_cast<uint32_t>(n);
    ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), n);
  }

  // Leases and annotates one clip; returns the lease's status.
  Status ReviewOne(const std::set<std::string>& flags = {}) {
    auto task = review::LeaseNext(*env_.ctx, reviewer_);
    if (!task.ok()) return task.status();
    if (!task->has_value()) return NotFound("empty", "no task");
    review::AnnotationInput in;
    in.transcript = "x";
    in.flags = flags;
    return review::Annotate(*env_.ctx, reviewer_, (*task)->task_id, in);
  }

  Env env_;
  staff::StaffMember reviewer_;
  uint32_t seed_ = 0;
};

TEST_F(WorkloadTest, TheClipCapStopsAssignmentUntilTheWindowRolls) {
  env_.ctx->MutableConfigForTest().shift_clip_cap = 3;
  Clips(5);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ReviewOne().ok()) << i;
  EXPECT_EQ(ReviewOne().reason(), "shift_cap_reached");
  auto shift = review::GetShift(*env_.ctx, reviewer_);
  ASSERT_TRUE(shift.ok());
  EXPECT_EQ(shift->done, 3);
  env_.clock.Advance(env_.ctx->config().shift_ms + 1);
  GrantConsent(*env_.ctx, "acct-w", true, true);
  EXPECT_TRUE(ReviewOne().ok()) << "a new shift";
}

TEST_F(WorkloadTest, TheDistressCapStopsAssignment) {
  env_.ctx->MutableConfigForTest().shift_distress_cap = 2;
  Clips(4);
  ASSERT_TRUE(ReviewOne({"distress"}).ok());
  ASSERT_TRUE(ReviewOne({"distress", "not_speech"}).ok());
  EXPECT_EQ(ReviewOne().reason(), "distress_cap_reached");
  auto shift = review::GetShift(*env_.ctx, reviewer_);
  ASSERT_TRUE(shift.ok());
  EXPECT_EQ(shift->distress, 2);
  EXPECT_EQ(shift->done, 2);
}

TEST_F(WorkloadTest, ABreakPausesAssignmentAndReleasesLeases) {
  Clips(2);
  auto held = review::LeaseNext(*env_.ctx, reviewer_);
  ASSERT_TRUE(held.ok() && held->has_value());
  auto on_break = review::TakeBreak(*env_.ctx, reviewer_);
  ASSERT_TRUE(on_break.ok());
  EXPECT_EQ(on_break->break_until_ms, env_.clock.NowMs() + env_.ctx->config().break_ms);
  EXPECT_EQ(on_break->done, 0) << "a break counts against nothing";
  EXPECT_EQ(review::LeaseNext(*env_.ctx, reviewer_).status().reason(), "on_break");
  // The clip held before the break went back to the queue for others.
  auto other = review::LeaseNext(*env_.ctx, Reviewer(*env_.ctx, "rev-other"));
  ASSERT_TRUE(other.ok() && other->has_value());
  EXPECT_EQ((*other)->task_id, (*held)->task_id);
  env_.clock.Advance(env_.ctx->config().break_ms + 1);
  auto after = review::LeaseNext(*env_.ctx, reviewer_);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_TRUE(after->has_value());
}

}  // namespace
}  // namespace earshot
