// Consolidation (issue 15, item 2): every review of a clip feeds one
// consensus, a third review settles a tie, a lead's adjudication decides
// outright, and erasure leaves no consensus behind.
#include "review/consensus.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/intake.h"
#include "review/queue.h"
#include "rights/erasure.h"
#include "rights/subjects.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class ConsensusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    spec_ = env_.stream.spec;
    spec_.double_review = 1.0;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec_, "test"));
    GrantConsent(*env_.ctx, "acct-c", true, true);
  }
  void IngestOne() {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta("acct-c", env_.clock.NowMs(), "SN", "turn on the lights"),
        EncodeAs(Signal(1200, 3), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  }
  std::string Review(const staff::StaffMember& who, const std::string& transcript, bool intended,
                     review::LeaseKind kind = review::LeaseKind::kReview) {
    auto task = review::LeaseNext(*env_.ctx, who, kind);
    EXPECT_TRUE(task.ok() && task->has_value()) << who.name << " got no task";
    if (!task.ok() || !task->has_value()) return "";
    auto input = review::ParseAnnotation(R"({"transcript":")" + transcript + R"(","intended":)" +
                                         (intended ? "true" : "false") +
                                         R"(,"heard_accurately":"cant_tell",)"
                                         R"("responded_appropriately":true})");
    EXPECT_TRUE(input.ok());
    EXPECT_OK(review::Annotate(*env_.ctx, who, (*task)->task_id, *input));
    env_.clock.Advance(1000);  // "earlier" is by time
    return (*task)->task_id;
  }
  // The clip's consensus transcript, opened with its subject's key.
  std::string ConsensusText() {
    std::string text;
    EXPECT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto row,
                       store::QueryOne(tx,
                                       "SELECT k.clip_id, k.transcript_sealed, c.subject_id FROM "
                                       "consensus k JOIN clips c ON c.id = k.clip_id",
                                       {}, "consensus"));
      ASSIGN_OR_RETURN(std::string key, rights::SubjectKey(tx, *env_.ctx, row.Text(2)));
      ASSIGN_OR_RETURN(text, review::OpenConsensusText(key, row.Text(0), row.Text(1)));
      return Status::Ok();
    }));
    return text;
  }
  int64_t Int(const std::string& sql) { return QueryInt(*env_.ctx, sql); }
  Env env_;
  ingest::StreamSpec spec_;
};

TEST_F(ConsensusTest, EveryReviewFeedsTheConsensusAndAThirdSettlesATie) {
  IngestOne();
  const auto alice = Reviewer(*env_.ctx, "alice"), bob = Reviewer(*env_.ctx, "bob"),
             carol = Reviewer(*env_.ctx, "carol");
  Review(alice, "Turn on the lights.", true);
  EXPECT_EQ(ConsensusText(), "turn on the lights") << "one review: its words, normalized";
  EXPECT_EQ(Int("SELECT reviews FROM consensus"), 1);
  Review(bob, "turn off the lights", false);
  // A tie on the word and on the grade: the earlier review has precedence.
  EXPECT_EQ(ConsensusText(), "turn on the lights");
  EXPECT_EQ(Int("SELECT reviews FROM consensus"), 2);
  EXPECT_EQ(Int("SELECT intended FROM consensus"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM consensus WHERE heard_accurately IS NULL"), 1)
      << "can't tell from everyone is no answer";
  EXPECT_EQ(Int("SELECT pair_errors FROM consensus"), 1);
  EXPECT_EQ(Int("SELECT pair_words FROM consensus"), 4);
  Review(carol, "turn off the lights", false);
  EXPECT_EQ(ConsensusText(), "turn off the lights") << "two of three";
  EXPECT_EQ(Int("SELECT reviews FROM consensus"), 3);
  EXPECT_EQ(Int("SELECT intended FROM consensus"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM consensus"), 1);
  // Each review against the consensus of the other two (leave-one-out):
  // alice's 'on' against bob and carol's 'off'; bob's and carol's 'off'
  // each against a tie that the earlier review (alice's 'on') wins. Against
  // the full consensus only alice would count an error.
  EXPECT_EQ(Int("SELECT SUM(cons_errors) FROM annotations"), 3);
  EXPECT_EQ(Int("SELECT SUM(cons_words) FROM annotations"), 12);
  EXPECT_EQ(Int("SELECT SUM(cons_grades_compared) FROM annotations"), 6)
      << "intended and responded, by each; heard was can't tell";
  EXPECT_EQ(Int("SELECT SUM(cons_grades_matched) FROM annotations"), 3)
      << "every responded; no intended answer matches the others' majority or tie";
  EXPECT_EQ(Int("SELECT ref_words FROM consensus"), 4);
}

TEST_F(ConsensusTest, AStreamThatAdjudicatesGivesADisagreementToALeadWhoseAnswerStands) {
  spec_.on_disagreement = "adjudicate";
  ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec_, "test"));
  IngestOne();
  const auto alice = Reviewer(*env_.ctx, "alice"), bob = Reviewer(*env_.ctx, "bob"),
             carol = Reviewer(*env_.ctx, "carol");
  const auto lead = Member(*env_.ctx, "lena", "lead");
  Review(alice, "turn on the lights", true);
  Review(bob, "turn off the light", true);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tasks WHERE state = 'queued' AND adjudication = 1"), 1);
  // No reviewer is offered the adjudication, and no lead a review.
  auto none = review::LeaseNext(*env_.ctx, carol);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto no_review = review::LeaseNext(*env_.ctx, lead);
  ASSERT_TRUE(no_review.ok());
  EXPECT_FALSE(no_review->has_value());
  auto task = review::LeaseNext(*env_.ctx, lead, review::LeaseKind::kAdjudication);
  ASSERT_TRUE(task.ok() && task->has_value());
  EXPECT_TRUE((*task)->adjudication);
  ASSERT_EQ((*task)->reviews.size(), 2u);
  EXPECT_EQ((*task)->reviews[0].transcript, "turn on the lights");
  EXPECT_EQ((*task)->reviews[1].transcript, "turn off the light");
  // What reviewers lease never carries another's answer.
  auto leases = review::ListLeases(*env_.ctx, lead);
  ASSERT_TRUE(leases.ok());
  ASSERT_EQ(leases->size(), 1u);
  EXPECT_EQ(leases->at(0).reviews.size(), 2u) << "a reload resumes the adjudication";
  auto input = review::ParseAnnotation(
      R"({"transcript":"turn off the lights","intended":false,"heard_accurately":true,
          "responded_appropriately":false})");
  ASSERT_TRUE(input.ok());
  ASSERT_OK(review::Annotate(*env_.ctx, lead, (*task)->task_id, *input));
  EXPECT_EQ(ConsensusText(), "turn off the lights") << "neither reviewer's words: the lead's";
  EXPECT_EQ(Int("SELECT adjudicated FROM consensus"), 1);
  EXPECT_EQ(Int("SELECT reviews FROM consensus"), 2);
  EXPECT_EQ(Int("SELECT intended FROM consensus"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tasks WHERE state IN ('queued', 'leased')"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM clips WHERE review_ended_at IS NULL"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_events WHERE action = 'task.adjudication'"), 1);
}

TEST_F(ConsensusTest, ErasingTheSubjectLeavesNoConsensus) {
  IngestOne();
  Review(Reviewer(*env_.ctx, "alice"), "turn on the lights", true);
  Review(Reviewer(*env_.ctx, "bob"), "turn on the lights", true);
  ASSERT_EQ(Int("SELECT COUNT(*) FROM consensus"), 1);
  std::string subject;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, "SELECT subject_id FROM clips", {}, "clip"));
    subject = row.Text(0);
    return Status::Ok();
  }));
  ASSERT_TRUE(rights::EraseSubject(*env_.ctx, subject).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM consensus"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annotations"), 0);
}

TEST(ConsolidateRules, AnAdjudicationStandsAndCantTellIsNoVote) {
  using review::ReviewForConsensus;
  std::vector<ReviewForConsensus> reviews = {
      {"turn on the lights", true, std::nullopt, true, false, false},
      {"turn on the light", false, false, std::nullopt, false, false},
      {"turn on the lights", std::nullopt, std::nullopt, true, true, false}};
  auto c = review::Consolidate(reviews);
  EXPECT_EQ(c.words, (std::vector<std::string>{"turn", "on", "the", "lights"}));
  EXPECT_EQ(c.intended, true) << "a tie of one against one: the first";
  EXPECT_EQ(c.heard_accurately, false) << "one vote against two can't-tells";
  EXPECT_EQ(c.responded_appropriately, true);
  EXPECT_FALSE(c.not_speech) << "one flag of three";
  EXPECT_EQ(c.reviews, 3);
  EXPECT_FALSE(c.adjudicated);
  reviews.push_back({"lights off", false, true, false, false, true});
  c = review::Consolidate(reviews);
  EXPECT_TRUE(c.adjudicated);
  EXPECT_EQ(c.words, (std::vector<std::string>{"lights", "off"}));
  EXPECT_EQ(c.intended, false);
  EXPECT_EQ(c.reviews, 3) << "the adjudication is not a fourth review";
}

}  // namespace
}  // namespace earshot
