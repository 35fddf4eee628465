// Agreement figures (issue 15, item 3): Krippendorff's alpha against the
// published worked example, bootstrap intervals, and the per-stream report
// built from double-reviewed clips.
#include "review/agreement.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/intake.h"
#include "review/queue.h"
#include "staff/account_admin.h"
#include "support/test_util.h"
#include "util/agreement_stats.h"

namespace earshot {
namespace {

using namespace earshot::testing;

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the
// nominal example: 4 observers, 12 units, values 1-5, some missing; unit 12
// has a single value and is not pairable. Published alpha: 0.743.
std::vector<std::vector<int64_t>> KrippendorffExample() {
  const std::vector<std::vector<int>> units = {
      {1, 1, 1},    {2, 2, 3, 2}, {3, 3, 3, 3}, {3, 3, 3, 3}, {2, 2, 2, 2}, {1, 2, 3, 4},
      {4, 4, 4, 4}, {1, 1, 2, 1}, {2, 2, 2, 2}, {5, 5, 5},    {1, 1},       {3}};
  std::vector<std::vector<int64_t>> counts;
  for (const auto& u : units) {
    std::vector<int64_t> c(5, 0);
    for (int v : u) ++c[v - 1];
    counts.push_back(c);
  }
  return counts;
}

TEST(AgreementStats, NominalAlphaMatchesThePublishedExample) {
  auto alpha = NominalAlpha(KrippendorffExample());
  ASSERT_TRUE(alpha.has_value());
  EXPECT_NEAR(*alpha, 0.743, 0.0005);
}

TEST(AgreementStats, PerfectAgreementIsOneAndNoVariationIsUndefined) {
  EXPECT_DOUBLE_EQ(*NominalAlpha({{2, 0}, {0, 2}, {3, 0}}), 1.0);
  // Two coders who agree on half the units of a balanced yes/no split:
  // alpha = 1 - (n-1) * D_o / sum(n_c n_k), near chance.
  auto chance = NominalAlpha({{2, 0}, {0, 2}, {1, 1}, {1, 1}});
  ASSERT_TRUE(chance.has_value());
  EXPECT_NEAR(*chance, 1.0 - 7.0 * 4.0 / 32.0, 1e-12);
  EXPECT_FALSE(NominalAlpha({{2, 0}, {3, 0}}).has_value()) << "everyone said yes";
  EXPECT_FALSE(NominalAlpha({{1, 0}, {0, 1}}).has_value()) << "no unit has two values";
  EXPECT_FALSE(NominalAlpha({}).has_value());
}

TEST(AgreementStats, IntervalsHoldTheirEstimateAndAreReproducible) {
  const auto counts = KrippendorffExample();
  auto a = NominalAlphaInterval(counts, 11), b = NominalAlphaInterval(counts, 11);
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(a->value, 0.743, 0.0005);
  EXPECT_EQ(a->units, 11) << "the unpairable unit is left out";
  EXPECT_LE(a->low, a->value);
  EXPECT_GE(a->high, a->value);
  EXPECT_LT(a->low, a->high) << "eleven units leave real uncertainty";
  EXPECT_EQ(a->low, b->low);
  EXPECT_EQ(a->high, b->high);
  // A word error rate: 3 edits over 20 words, the interval around it.
  auto wer = RatioInterval({{0, 5}, {1, 5}, {2, 5}, {0, 5}}, 5);
  ASSERT_TRUE(wer.has_value());
  EXPECT_DOUBLE_EQ(wer->value, 0.15);
  EXPECT_LE(wer->low, 0.15);
  EXPECT_GE(wer->high, 0.15);
  EXPECT_GE(wer->low, 0.0);
  EXPECT_LE(wer->high, 0.4) << "no resample exceeds the worst clip's rate";
  EXPECT_FALSE(RatioInterval({{0, 0}}, 5).has_value());
  // More data, a narrower interval.
  std::vector<std::pair<int64_t, int64_t>> many;
  for (int i = 0; i < 100; ++i) many.insert(many.end(), {{0, 5}, {1, 5}, {2, 5}, {0, 5}});
  auto narrow = RatioInterval(many, 5);
  EXPECT_LT(narrow->high - narrow->low, wer->high - wer->low);
}

class AgreementReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    ingest::StreamSpec spec = env_.stream.spec;
    spec.double_review = 1.0;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec, "test"));
    GrantConsent(*env_.ctx, "acct-g", true, true);
  }
  void IngestOne(uint32_t seed) {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta("acct-g", env_.clock.NowMs(), "SN", "turn on the lights"),
        EncodeAs(Signal(1200, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
    env_.clock.Advance(1000);
  }
  void Review(const staff::StaffMember& who, const std::string& transcript, bool intended) {
    auto task = review::LeaseNext(*env_.ctx, who);
    ASSERT_TRUE(task.ok() && task->has_value()) << who.name;
    auto input = review::ParseAnnotation(R"({"transcript":")" + transcript + R"(","intended":)" +
                                         (intended ? "true" : "false") +
                                         R"(,"heard_accurately":"cant_tell",)"
                                         R"("responded_appropriately":true})");
    ASSERT_TRUE(input.ok());
    ASSERT_OK(review::Annotate(*env_.ctx, who, (*task)->task_id, *input));
    env_.clock.Advance(1000);
  }
  Env env_;
};

TEST_F(AgreementReportTest, DoubleReviewedClipsGiveAlphaInterReviewerWerAndPerReviewerFigures) {
  for (uint32_t i = 1; i <= 3; ++i) IngestOne(i);
  const auto alice = Reviewer(*env_.ctx, "alice"), bob = Reviewer(*env_.ctx, "bob");
  // Clip 1: both yes, same words. Clip 2: both no, one word apart. Clip 3:
  // yes against no (its third review is never done), same words.
  Review(alice, "turn on the lights", true);
  Review(bob, "turn on the lights", true);
  Review(alice, "turn on the lights", false);
  Review(bob, "turn off the lights", false);
  Review(alice, "turn on the lights", true);
  Review(bob, "turn on the lights", false);
  auto report = review::AgreementFor(*env_.ctx, env_.stream.spec.name, 7);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->days.size(), 7u);
  const review::AgreementSlice& all = report->overall;
  EXPECT_EQ(all.double_reviewed, 3);
  ASSERT_TRUE(all.inter_reviewer_wer.has_value());
  EXPECT_DOUBLE_EQ(all.inter_reviewer_wer->value, 1.0 / 12.0);
  // Intended: units {2 yes}, {2 no}, {1 yes, 1 no}: alpha = 1 - 5 * 2 / 18.
  ASSERT_TRUE(all.alpha.intended.has_value());
  EXPECT_NEAR(all.alpha.intended->value, 1.0 - 10.0 / 18.0, 1e-12);
  EXPECT_FALSE(all.alpha.heard_accurately.has_value()) << "everyone said can't tell";
  EXPECT_FALSE(all.alpha.responded_appropriately.has_value()) << "everyone said yes";
  // Today's slice holds the same clips; the days before hold none.
  EXPECT_EQ(report->per_day.back().double_reviewed, 3);
  EXPECT_EQ(report->per_day.front().double_reviewed, 0);
  EXPECT_FALSE(report->per_day.front().inter_reviewer_wer.has_value());
  // Per reviewer, by pseudonym, each against the consensus of the other
  // reviews (leave-one-out): ties go to the earlier review (alice's), yet
  // they do not flatter her, since with two reviews each is held against
  // the other's.
  ASSERT_EQ(report->reviewers.size(), 2u);
  for (const auto& r : report->reviewers) {
    EXPECT_EQ(r.reviews, 3);
    EXPECT_EQ(r.compared, 3);
    EXPECT_EQ(r.pseudonym.rfind("reviewer-", 0), 0u) << r.pseudonym;
    EXPECT_DOUBLE_EQ(*r.wer_vs_consensus, 1.0 / 12.0);
    // Answers both gave: intended x3 and responded x3; clip 3 differs.
    EXPECT_DOUBLE_EQ(*r.grade_agreement, 5.0 / 6.0);
  }
  EXPECT_EQ(review::AgreementFor(*env_.ctx, "no-such-stream", 7).status().code(), Code::kNotFound);
  EXPECT_EQ(review::AgreementFor(*env_.ctx, env_.stream.spec.name, 0).status().reason(),
            "bad_days");
  EXPECT_EQ(review::AgreementFor(*env_.ctx, env_.stream.spec.name, 91).status().reason(),
            "bad_days");
}

// A reviewer disabled mid-way: their reviews stay in the consensus and the
// figures, counted once, and they get no more work.
TEST_F(AgreementReportTest, ADisabledReviewersReviewsStayAndCountOnce) {
  for (uint32_t i = 1; i <= 2; ++i) IngestOne(i);
  const auto alice = Reviewer(*env_.ctx, "alice"), bob = Reviewer(*env_.ctx, "bob");
  const auto admin = Member(*env_.ctx, "ada", "admin");
  Review(alice, "turn on the lights", true);
  Review(bob, "turn off the lights", true);
  ASSERT_OK(staff::DisableUser(*env_.ctx, admin, "bob"));
  Review(alice, "turn on the lights", true);
  auto report = review::AgreementFor(*env_.ctx, env_.stream.spec.name, 7);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->overall.double_reviewed, 1) << "bob's review still pairs with alice's";
  ASSERT_EQ(report->reviewers.size(), 2u);
  int64_t total = 0;
  for (const auto& r : report->reviewers) {
    total += r.reviews;
    EXPECT_EQ(r.reviews, r.pseudonym == bob.pseudonym ? 1 : 2) << r.pseudonym;
  }
  EXPECT_EQ(total, 3) << "each review once";
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM consensus WHERE reviews = 2"), 1);
}

TEST_F(AgreementReportTest, AReviewerSeesOnlyTheirOwnFiguresAndOnlyFromWholeDaysBeforeToday) {
  for (uint32_t i = 1; i <= 2; ++i) IngestOne(i);
  const auto alice = Reviewer(*env_.ctx, "alice"), bob = Reviewer(*env_.ctx, "bob");
  Review(alice, "turn on the lights", true);
  Review(bob, "turn on the lights", true);
  Review(alice, "turn on the lights", true);
  Review(bob, "turn off the lights", false);
  // Today's work moves nothing yet: a gold score cannot be tied to a clip.
  auto today = review::OwnQualityOf(*env_.ctx, alice.id, 7);
  ASSERT_TRUE(today.ok()) << today.status().ToString();
  EXPECT_TRUE(today->streams.empty());
  env_.clock.Advance(review::kDayMs);
  auto mine = review::OwnQualityOf(*env_.ctx, alice.id, 7);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->last_day - mine->first_day, 6);
  EXPECT_EQ(mine->last_day, env_.clock.NowMs() / review::kDayMs - 1);
  ASSERT_EQ(mine->streams.size(), 1u);
  const review::OwnStreamQuality& s = mine->streams[0];
  EXPECT_EQ(s.stream, env_.stream.spec.name);
  EXPECT_EQ(s.figures.pseudonym, alice.pseudonym) << "hers, not bob's";
  EXPECT_EQ(s.figures.reviews, 2);
  EXPECT_EQ(s.figures.compared, 2);
  ASSERT_TRUE(s.figures.wer_vs_consensus.has_value());
  EXPECT_DOUBLE_EQ(*s.figures.wer_vs_consensus, 1.0 / 8.0) << "held against bob's 'off'";
  EXPECT_DOUBLE_EQ(*s.figures.grade_agreement, 3.0 / 4.0);
  // A reviewer with no reviews in the window sees no stream at all.
  const auto carol = Reviewer(*env_.ctx, "carol");
  auto none = review::OwnQualityOf(*env_.ctx, carol.id, 7);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->streams.empty());
  // A window that has slid past the reviews shows nothing either.
  env_.clock.Advance(2 * review::kDayMs);
  auto past = review::OwnQualityOf(*env_.ctx, alice.id, 1);
  ASSERT_TRUE(past.ok());
  EXPECT_TRUE(past->streams.empty());
  EXPECT_EQ(review::OwnQualityOf(*env_.ctx, alice.id, 0).status().reason(), "bad_days");
  EXPECT_EQ(review::OwnQualityOf(*env_.ctx, alice.id, 91).status().reason(), "bad_days");
}

}  // namespace
}  // namespace earshot
