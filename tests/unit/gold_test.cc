// Gold clips (issue 15, item 4): a lead makes a consolidated clip gold, a
// share of other reviewers' leases are gold tasks they cannot tell apart,
// each is scored against the reference, a reviewer far below the others is
// flagged, and gold clips follow the subject's consent and erasure.
#include "review/gold.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/intake.h"
#include "review/agreement.h"
#include "review/consensus.h"
#include "review/queue.h"
#include "rights/erasure.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class GoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    spec_ = env_.stream.spec;
    spec_.double_review = 0.0;
    spec_.gold_share = 0.5;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec_, "test"));
    GrantConsent(*env_.ctx, "acct-g", true, true);
    GrantConsent(*env_.ctx, "acct-h", true, true);
    alice_ = Reviewer(*env_.ctx, "alice");
    bob_ = Reviewer(*env_.ctx, "bob");
    lead_ = Member(*env_.ctx, "lena", "lead");
  }
  void IngestFor(const std::string& account, int n = 1) {
    for (int i = 0; i < n; ++i) {
      auto out = ingest::IngestRecording(
          *env_.ctx, env_.stream, Meta(account, env_.clock.NowMs(), "SN", "turn on the lights"),
          EncodeAs(Signal(1200, 3 + i), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
      env_.clock.Advance(10);
    }
    RunFakeStages(*env_.ctx, AllStages());
  }
  static std::string Body(const std::string& transcript, bool intended, bool gold = false) {
    return R"({"transcript":")" + transcript + R"(","intended":)" + (intended ? "true" : "false") +
           R"(,"heard_accurately":true,"responded_appropriately":"cant_tell")" +
           (gold ? R"(,"gold":true})" : "}");
  }
  Status Answer(const staff::StaffMember& who, const std::string& task_id,
                const std::string& body) {
    auto input = review::ParseAnnotation(body);
    if (!input.ok()) return input.status();
    Status st = review::Annotate(*env_.ctx, who, task_id, *input);
    env_.clock.Advance(1000);
    return st;
  }
  std::optional<review::LeasedTask> Lease(const staff::StaffMember& who,
                                          review::LeaseKind kind = review::LeaseKind::kReview) {
    auto task = review::LeaseNext(*env_.ctx, who, kind);
    EXPECT_TRUE(task.ok()) << task.status().ToString();
    return task.ok() ? *task : std::nullopt;
  }
  bool IsGold(const std::string& task_id) {
    return Int("SELECT gold FROM tasks WHERE id = ?", {task_id}) == 1;
  }
  int64_t Int(const std::string& sql, const std::vector<store::Value>& params = {}) {
    return QueryInt(*env_.ctx, sql, params);
  }
  // Makes acct-g's first clip gold: two reviews that disagree, and the
  // lead's adjudication ("turn off the lights", not intended) marked gold.
  void MakeGold() {
    spec_.double_review = 1.0;
    spec_.on_disagreement = "adjudicate";
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec_, "test"));
    IngestFor("acct-g");
    auto t1 = Lease(alice_);
    ASSERT_TRUE(t1);
    ASSERT_OK(Answer(alice_, t1->task_id, Body("turn on the lights", true)));
    auto t2 = Lease(bob_);
    ASSERT_TRUE(t2);
    ASSERT_OK(Answer(bob_, t2->task_id, Body("turn off the light", false)));
    auto adj = Lease(lead_, review::LeaseKind::kAdjudication);
    ASSERT_TRUE(adj && adj->adjudication);
    ASSERT_OK(Answer(lead_, adj->task_id, Body("turn off the lights", false, true)));
    ASSERT_EQ(Int("SELECT COUNT(*) FROM gold_clips"), 1);
    ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto r, store::QueryOne(tx, "SELECT clip_id FROM gold_clips", {}, "gold"));
      gold_clip_ = r.Text(0);
      return Status::Ok();
    }));
    spec_.double_review = 0.0;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec_, "test"));
  }
  // Leases (and answers with `body`) until `who` gets a gold task; its id,
  // or "" after `tries` ordinary tasks.
  std::string LeaseUntilGold(const staff::StaffMember& who, const std::string& body,
                             int tries = 30) {
    for (int i = 0; i < tries; ++i) {
      auto t = Lease(who);
      if (!t) return "";
      if (IsGold(t->task_id)) return t->task_id;
      EXPECT_OK(Answer(who, t->task_id, body));
    }
    return "";
  }
  Env env_;
  ingest::StreamSpec spec_;
  staff::StaffMember alice_, bob_, lead_;
  std::string gold_clip_;
};

TEST_F(GoldTest, AGoldTaskLooksLikeAnyAndIsScoredAgainstTheLeadsAnswer) {
  MakeGold();
  const auto carol = Reviewer(*env_.ctx, "carol");
  IngestFor("acct-h", 12);
  const int64_t ended = Int("SELECT review_ended_at FROM clips WHERE id = ?", {gold_clip_});
  const std::string gold = LeaseUntilGold(carol, Body("play some music", true));
  ASSERT_FALSE(gold.empty()) << "half of carol's leases should be gold";
  // What carol holds says nothing of gold: the same fields as any task.
  auto leases = review::ListLeases(*env_.ctx, carol);
  ASSERT_TRUE(leases.ok());
  ASSERT_EQ(leases->size(), 1u);
  const review::LeasedTask& t = leases->at(0);
  EXPECT_EQ(t.task_id, gold);
  EXPECT_FALSE(t.adjudication);
  EXPECT_TRUE(t.reviews.empty()) << "no reviewer sees the reference or another's answer";
  EXPECT_EQ(t.masked_hypothesis, "turn on the lights");
  EXPECT_EQ(t.duration_ms, 1200);
  auto audio = review::TaskAudio(*env_.ctx, carol, gold);
  ASSERT_TRUE(audio.ok()) << "a gold clip plays like any (a listen the subject sees)";
  // An answer with one word wrong in four (above the stream's 0.2) misses.
  ASSERT_OK(Answer(carol, gold, Body("turn on the lights", false)));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM gold_results"), 1);
  EXPECT_EQ(Int("SELECT word_errors FROM gold_results"), 1);
  EXPECT_EQ(Int("SELECT ref_words FROM gold_results"), 4);
  EXPECT_EQ(Int("SELECT answers_compared FROM gold_results"), 2)
      << "the lead's can't-tell is no test";
  EXPECT_EQ(Int("SELECT answers_right FROM gold_results"), 2);
  EXPECT_EQ(Int("SELECT correct FROM gold_results"), 0);
  // It fed nothing else: the consensus is still the lead's, no third review
  // was called, the clip's retention clock did not restart.
  EXPECT_EQ(Int("SELECT adjudicated FROM consensus WHERE clip_id = ?", {gold_clip_}), 1);
  EXPECT_EQ(Int("SELECT reviews FROM consensus WHERE clip_id = ?", {gold_clip_}), 2);
  EXPECT_EQ(Int("SELECT intended FROM consensus WHERE clip_id = ?", {gold_clip_}), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tasks WHERE clip_id = ? AND state IN ('queued', 'leased')",
                {gold_clip_}),
            0);
  EXPECT_EQ(Int("SELECT review_ended_at FROM clips WHERE id = ?", {gold_clip_}), ended);
  // The reviewer never gets that clip again, nor do those who reviewed it.
  for (const staff::StaffMember* who : {&carol, static_cast<const staff::StaffMember*>(&alice_),
                                        static_cast<const staff::StaffMember*>(&bob_)}) {
    for (int i = 0; i < 6; ++i) {
      auto next = Lease(*who);
      if (!next) break;
      EXPECT_FALSE(IsGold(next->task_id)) << who->name << " was given the gold clip again";
      ASSERT_OK(Answer(*who, next->task_id, Body("play some music", true)));
    }
  }
  // Carol's gold figures reach the lead's agreement report.
  auto report = review::AgreementFor(*env_.ctx, env_.stream.spec.name, 7);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->gold_clips, 1);
  bool found = false;
  for (const auto& r : report->reviewers) {
    if (r.pseudonym != carol.pseudonym) continue;
    found = true;
    EXPECT_EQ(r.gold_reviews, 1);
    ASSERT_TRUE(r.gold_accuracy);
    EXPECT_DOUBLE_EQ(r.gold_accuracy->value, 0.0);
    ASSERT_TRUE(r.gold_wer);
    EXPECT_DOUBLE_EQ(*r.gold_wer, 0.25);
  }
  EXPECT_TRUE(found);
}

TEST_F(GoldTest, ASkippedOrExpiredGoldTaskIsWithdrawnNotRequeued) {
  MakeGold();
  const auto carol = Reviewer(*env_.ctx, "carol"), dave = Reviewer(*env_.ctx, "dave");
  IngestFor("acct-h", 12);
  const std::string skipped = LeaseUntilGold(carol, Body("play some music", true));
  ASSERT_FALSE(skipped.empty());
  ASSERT_OK(review::Skip(*env_.ctx, carol, skipped));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tasks WHERE id = ? AND state = 'withdrawn'", {skipped}), 1);
  const std::string expired = LeaseUntilGold(dave, Body("play some music", true));
  ASSERT_FALSE(expired.empty());
  env_.clock.Advance(env_.ctx->config().lease_ms + 1);
  // The next lease (anyone's) returns run-out leases: the gold one is
  // withdrawn with its reviewer kept, never given to another.
  for (int i = 0; i < 4; ++i) {
    auto next = Lease(alice_);
    if (!next) break;
    EXPECT_NE(next->task_id, expired);
    ASSERT_OK(Answer(alice_, next->task_id, Body("play some music", true)));
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM tasks WHERE id = ? AND state = 'withdrawn' AND "
                "reviewer_id IS NOT NULL",
                {expired}),
            1);
  for (int i = 0; i < 6; ++i) {
    auto next = Lease(dave);
    if (!next) break;
    EXPECT_FALSE(IsGold(next->task_id)) << "dave was given the gold clip he let run out";
    ASSERT_OK(Answer(dave, next->task_id, Body("play some music", true)));
  }
  EXPECT_EQ(Int("SELECT COUNT(*) FROM gold_results"), 0);
}

TEST_F(GoldTest, OnlyALeadMarksAndOnlyAConsolidatedClip) {
  IngestFor("acct-g");
  auto t = Lease(alice_);
  ASSERT_TRUE(t);
  Status st = Answer(alice_, t->task_id, Body("turn on the lights", true, true));
  EXPECT_EQ(st.reason(), "not_a_lead");
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annotations"), 0) << "a refused annotation stores nothing";
  ASSERT_OK(review::Skip(*env_.ctx, alice_, t->task_id));
  auto mine = Lease(lead_);
  ASSERT_TRUE(mine) << "a lead reviews too";
  st = Answer(lead_, mine->task_id, Body("turn on the lights", true, true));
  EXPECT_EQ(st.reason(), "not_consolidated") << "one review is not a known answer";
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annotations"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM gold_clips"), 0);
  ASSERT_OK(Answer(lead_, mine->task_id, Body("turn on the lights", true)));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM annotations"), 1);
}

TEST_F(GoldTest, TwoReviewsThatCallForAThirdAreNotYetGold) {
  spec_.double_review = 1.0;
  ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec_, "test"));
  IngestFor("acct-g");
  auto t1 = Lease(alice_);
  ASSERT_TRUE(t1);
  ASSERT_OK(Answer(alice_, t1->task_id, Body("turn on the lights", true)));
  auto t2 = Lease(lead_);
  ASSERT_TRUE(t2);
  EXPECT_EQ(Answer(lead_, t2->task_id, Body("open the door", false, true)).reason(),
            "not_consolidated");
  // Two reviews that agree are consolidated.
  ASSERT_OK(Answer(lead_, t2->task_id, Body("turn on the lights", true, true)));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM gold_clips"), 1);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM audit_events WHERE action = 'gold.mark'"), 1);
}

TEST_F(GoldTest, WithdrawingConsentOrErasingTakesTheGoldClipAway) {
  MakeGold();
  const auto carol = Reviewer(*env_.ctx, "carol");
  IngestFor("acct-h", 24);
  const std::string gold = LeaseUntilGold(carol, Body("play some music", true));
  ASSERT_FALSE(gold.empty());
  ASSERT_OK(Answer(carol, gold, Body("turn off the lights", false)));
  EXPECT_EQ(Int("SELECT correct FROM gold_results"), 1);
  // acct-g withdraws human review: the mark goes, no one is given the clip.
  GrantConsent(*env_.ctx, "acct-g", true, false);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM gold_clips"), 0);
  const auto dave = Reviewer(*env_.ctx, "dave");
  EXPECT_TRUE(LeaseUntilGold(dave, Body("play some music", true), 8).empty());
  // Erasing acct-g takes its gold results with the clip.
  ASSERT_TRUE(rights::EraseSubject(*env_.ctx, SubjectIdOf(*env_.ctx, "acct-g")).ok());
  EXPECT_EQ(Int("SELECT COUNT(*) FROM gold_results"), 0);
  EXPECT_EQ(Int("SELECT COUNT(*) FROM clips WHERE id = ?", {gold_clip_}), 0);
}

TEST_F(GoldTest, ALeadListsAndUnmarksGoldWithoutSeeingContent) {
  MakeGold();
  auto list = review::ListGold(*env_.ctx, env_.stream.spec.name);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->at(0).marked_by, lead_.pseudonym);
  EXPECT_EQ(list->at(0).id.rfind("gld_", 0), 0u);
  EXPECT_EQ(review::UnmarkGold(*env_.ctx, lead_, "gld_nope").reason(), "no_such_gold");
  ASSERT_OK(review::UnmarkGold(*env_.ctx, lead_, list->at(0).id));
  EXPECT_EQ(Int("SELECT COUNT(*) FROM gold_clips"), 0);
  EXPECT_EQ(review::ListGold(*env_.ctx, "no-such-stream").status().reason(), "unknown_stream");
}

TEST(GoldScoring, WordsWithinTheThresholdAndEveryAnswerMatching) {
  using review::ReviewAnswers;
  const ReviewAnswers ref{"set a timer for ten minutes", true, false, std::nullopt};
  auto exact =
      review::ScoreAgainstGold(ref, {"Set a timer for ten minutes.", true, false, true}, 0.2);
  EXPECT_TRUE(exact.correct);
  EXPECT_EQ(exact.answers_compared, 2) << "the reference's can't-tell compares nothing";
  EXPECT_EQ(exact.ref_words, 6);
  auto one_word =
      review::ScoreAgainstGold(ref, {"set a timer for two minutes", true, false, {}}, 0.2);
  EXPECT_EQ(one_word.word_errors, 1);
  EXPECT_TRUE(one_word.correct) << "1 of 6 words is within 0.2";
  auto cant_tell =
      review::ScoreAgainstGold(ref, {"set a timer for ten minutes", {}, false, {}}, 0.2);
  EXPECT_FALSE(cant_tell.correct) << "can't tell where the answer is known is a miss";
  EXPECT_EQ(cant_tell.answers_right, 1);
  auto empty = review::ScoreAgainstGold({"", true, {}, {}}, {"hello", true, {}, {}}, 0.2);
  EXPECT_FALSE(empty.correct) << "words where the reference has none";
}

TEST(GoldScoring, AReviewerIsFlaggedOnlyWhenWellBelowTheOthersOnEnoughGold) {
  auto make = [](const std::string& who, int64_t correct, int64_t items) {
    review::ReviewerGold g;
    g.pseudonym = who;
    g.items = items;
    g.correct = correct;
    g.accuracy = WilsonInterval(correct, items);
    return g;
  };
  std::vector<review::ReviewerGold> scores = {make("a", 18, 20), make("b", 19, 20),
                                              make("c", 3, 10), make("d", 1, 4)};
  review::FlagGoldOutliers(scores);
  EXPECT_FALSE(scores[0].below_others);
  EXPECT_FALSE(scores[1].below_others);
  EXPECT_TRUE(scores[2].below_others) << "3 of 10 against 38 of 44";
  EXPECT_FALSE(scores[3].below_others) << "4 gold reviews are too few to judge";
  std::vector<review::ReviewerGold> close = {make("a", 18, 20), make("b", 8, 10)};
  review::FlagGoldOutliers(close);
  EXPECT_FALSE(close[1].below_others) << "8 of 10 is not clearly below 18 of 20";
}

TEST(GoldScoring, TheWilsonIntervalMatchesThePublishedFormula) {
  // 8 of 10: Wilson's 95% interval is 0.4902 to 0.9433 (Newcombe 1998, method 3).
  auto e = WilsonInterval(8, 10);
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->value, 0.8);
  EXPECT_NEAR(e->low, 0.4902, 1e-4);
  EXPECT_NEAR(e->high, 0.9433, 1e-4);
  auto none = WilsonInterval(0, 10);
  EXPECT_DOUBLE_EQ(none->low, 0.0);
  EXPECT_NEAR(none->high, 0.2775, 1e-4);
  EXPECT_FALSE(WilsonInterval(0, 0));
}

}  // namespace
}  // namespace earshot
