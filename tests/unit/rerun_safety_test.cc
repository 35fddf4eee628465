// The storage contract says a transaction's callback may run more than once
// (store/db.h): PostgreSQL re-runs it after a serialization conflict or a
// lost claim, and after a connection broke before anything was committed.
// Here every transaction of a whole review flow runs twice (the first run
// rolled back; tests/support/replaying_db.h), and what the domain returns
// and counts must be what one run gives: no row listed twice, no metric
// counted twice, no flag kept from a run that was thrown away.
#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/intake.h"
#include "ingest/streams.h"
#include "pipeline/jobs.h"
#include "review/escalation.h"
#include "review/quality.h"
#include "review/queue.h"
#include "rights/erasure.h"
#include "rights/subject_data.h"
#include "rights/subjects.h"
#include "staff/accounts.h"
#include "support/replaying_db.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class RerunSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    env_.ctx->WrapDbForTest([this](std::unique_ptr<store::Db> inner) {
      auto replaying = std::make_unique<ReplayingDb>(std::move(inner));
      replaying_ = replaying.get();
      return replaying;
    });
  }

  std::string Ingest(const std::string& account, uint32_t seed) {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta(account, env_.clock.NowMs(), "SN-RERUN", "call my sister"),
        EncodeAs(Signal(1200, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->recording_id : "";
  }

  std::string SubjectOf(const std::string& account) { return SubjectIdOf(*env_.ctx, account); }

  int64_t Metric(const std::string& name, const std::string& key = "",
                 const std::string& value = "") {
    return env_.ctx->metrics().Get(name, key, value);
  }

  Env env_;
  ReplayingDb* replaying_ = nullptr;
};

TEST_F(RerunSafetyTest, AReviewFlowRunTwiceListsAndCountsEverythingOnce) {
  GrantConsent(*env_.ctx, "acct-a", true, true);
  const std::string rec = Ingest("acct-a", 11);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const staff::StaffMember reviewer = Reviewer(*env_.ctx, "rev-rerun");
  auto task = review::LeaseNext(*env_.ctx, reviewer);
  ASSERT_TRUE(task.ok() && task->has_value()) << task.status().ToString();

  auto leases = review::ListLeases(*env_.ctx, reviewer);
  ASSERT_TRUE(leases.ok());
  EXPECT_EQ(leases->size(), 1u);
  auto streams = ingest::ListStreams(*env_.ctx);
  ASSERT_TRUE(streams.ok());
  EXPECT_EQ(streams->size(), 1u);
  auto recordings = rights::ListRecordings(*env_.ctx, SubjectOf("acct-a"));
  ASSERT_TRUE(recordings.ok());
  ASSERT_EQ(recordings->size(), 1u);
  EXPECT_EQ((*recordings)[0].id, rec);

  review::AnnotationInput in;
  in.transcript = "call my sister";
  in.flags = {"distress", "pii_audible"};
  in.note = "they sounded scared";
  ASSERT_OK(review::Annotate(*env_.ctx, reviewer, (*task)->task_id, in));
  EXPECT_EQ(Metric("earshot_tasks_done_total"), 1);
  EXPECT_EQ(Metric("earshot_escalations_opened_total"), 1);
  EXPECT_EQ(Metric("earshot_redaction_misses_total"), 1);
  EXPECT_EQ(Metric("earshot_flags_total", "flag", "distress"), 1);
  auto cases = review::ListOpenCases(*env_.ctx);
  ASSERT_TRUE(cases.ok());
  EXPECT_EQ(cases->size(), 1u);

  int64_t tasks = 0, jobs = 0;
  // (the results kept: a range-for over a temporary's value reads freed memory)
  const auto task_counts = review::TaskCounts(*env_.ctx);
  const auto job_counts = pipeline::JobCounts(*env_.ctx);
  ASSERT_TRUE(task_counts.ok() && job_counts.ok());
  for (const auto& [state, n] : *task_counts) tasks += n;
  for (const auto& [state, n] : *job_counts) jobs += n;
  EXPECT_EQ(tasks, 1);
  EXPECT_EQ(jobs, 1);
  auto quality = review::QualityOverTime(*env_.ctx, 24);
  ASSERT_TRUE(quality.ok());
  EXPECT_EQ(quality->streams.size(), 1u);
  EXPECT_GT(replaying_->replays(), 10) << "the flow did not go through the replaying store";
}

TEST_F(RerunSafetyTest, WithdrawingConsentTwiceOverCountsEachWithdrawnTaskOnce) {
  GrantConsent(*env_.ctx, "acct-b", true, true);
  Ingest("acct-b", 12);
  Ingest("acct-b", 13);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 2);
  ASSERT_OK(rights::UpdateConsents(*env_.ctx, SubjectOf("acct-b"),
                                   {{rights::Purpose::kHumanReview, false}}, "test-policy",
                                   "test"));
  EXPECT_EQ(Metric("earshot_tasks_withdrawn_total", "reason", "consent_revoked"), 2);
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM tasks WHERE state = 'withdrawn'"), 2);
}

TEST_F(RerunSafetyTest, ASessionSignedOutBetweenRunsIsNotVouchedForByTheFirstRun) {
  const staff::Session session = SignedIn(*env_.ctx, "lead-rerun", "lead");
  ASSERT_TRUE(staff::AuthenticateSession(*env_.ctx, session.id).ok());
  // The first run finds the session live; it is signed out before the
  // retry, which must find it gone.
  replaying_->BetweenRunsOnce([&] { ASSERT_OK(staff::SignOut(*env_.ctx, session.id)); });
  auto after = staff::AuthenticateSession(*env_.ctx, session.id);
  EXPECT_EQ(after.status().reason(), "bad_session");
}

}  // namespace
}  // namespace earshot
