// The product's quality (issue 15, item 5): the machine's word error rate
// against the consensus and the answered shares per stream, locale and day,
// and two date ranges compared, each with its interval.
#include "review/product_quality.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "ingest/intake.h"
#include "review/queue.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class ProductQualityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    spec_ = env_.stream.spec;
    spec_.double_review = 0.0;
    spec_.gold_share = 0.0;
    ASSERT_OK(ingest::UpdateStream(*env_.ctx, spec_, "test"));
    GrantConsent(*env_.ctx, "acct-p", true, true);
    alice_ = Reviewer(*env_.ctx, "alice");
  }
  // Ingests `n` recordings in `locale` whose machine hypothesis is "turn on
  // the lights", and reviews each as `heard` (`heard_ok` for question 2).
  void Round(const std::string& locale, int n, const std::string& heard, bool heard_ok) {
    for (int i = 0; i < n; ++i) {
      auto meta = Meta("acct-p", env_.clock.NowMs(), "SN", "turn on the lights");
      meta.locale = locale;
      auto out =
          ingest::IngestRecording(*env_.ctx, env_.stream, meta,
                                  EncodeAs(Signal(1000, 7 + i), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
    }
    RunFakeStages(*env_.ctx, AllStages());
    for (int i = 0; i < n; ++i) {
      auto task = review::LeaseNext(*env_.ctx, alice_);
      ASSERT_TRUE(task.ok() && task->has_value());
      auto input = review::ParseAnnotation(
          R"({"transcript":")" + heard + R"(","intended":true,"heard_accurately":)" +
          (heard_ok ? "true" : "false") + R"(,"responded_appropriately":"cant_tell"})");
      ASSERT_TRUE(input.ok());
      ASSERT_OK(review::Annotate(*env_.ctx, alice_, (*task)->task_id, *input));
    }
  }
  static const review::LocaleQuality* Find(const review::ProductReport& r, const std::string& l) {
    for (const auto& q : r.locales) {
      if (q.locale == l) return &q;
    }
    return nullptr;
  }
  Env env_;
  ingest::StreamSpec spec_;
  staff::StaffMember alice_;
};

TEST_F(ProductQualityTest, PerLocaleAndDayTheMachineAgainstTheConsensus) {
  Round("en-US", 4, "turn on the lights", true);   // the machine was right
  Round("en-GB", 2, "turn off the light", false);  // two words of four wrong
  env_.clock.Advance(2 * review::kDayMs);
  Round("en-US", 2, "turn on the kitchen lights", true);  // one insertion
  auto report = review::ProductQuality(*env_.ctx, env_.stream.spec.name, 7);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->days.size(), 7u);
  ASSERT_EQ(report->locales.size(), 3u);
  EXPECT_EQ(report->locales[0].locale, "all");
  EXPECT_EQ(report->locales[1].locale, "en-GB");
  const auto* us = Find(*report, "en-US");
  const auto* gb = Find(*report, "en-GB");
  const auto* all = Find(*report, "all");
  ASSERT_TRUE(us && gb && all);
  EXPECT_EQ(all->overall.clips, 8);
  EXPECT_EQ(all->overall.single_review, 8);
  ASSERT_TRUE(gb->overall.wer);
  EXPECT_DOUBLE_EQ(gb->overall.wer->value, 4.0 / 8.0);
  ASSERT_TRUE(us->overall.wer);
  // 4 clips with no error over 4 words, 2 with one over 5.
  EXPECT_DOUBLE_EQ(us->overall.wer->value, 2.0 / 26.0);
  EXPECT_LE(us->overall.wer->low, us->overall.wer->value);
  EXPECT_GE(us->overall.wer->high, us->overall.wer->value);
  ASSERT_TRUE(all->overall.heard_accurately);
  EXPECT_DOUBLE_EQ(all->overall.heard_accurately->value, 6.0 / 8.0);
  EXPECT_FALSE(all->overall.responded_appropriately) << "every answer was can't tell";
  // By day: today has the two later en-US clips, two days ago the rest.
  EXPECT_EQ(us->per_day[6].clips, 2);
  EXPECT_EQ(us->per_day[4].clips, 4);
  EXPECT_EQ(us->per_day[5].clips, 0);
  EXPECT_FALSE(us->per_day[5].wer) << "a day with no clip has no figure";
  EXPECT_DOUBLE_EQ(us->per_day[4].wer->value, 0.0);
  EXPECT_EQ(review::ProductQuality(*env_.ctx, "nope", 7).status().reason(), "unknown_stream");
  EXPECT_EQ(review::ProductQuality(*env_.ctx, env_.stream.spec.name, 0).status().reason(),
            "bad_days");
}

TEST_F(ProductQualityTest, TwoRangesComparedShowTheChangeWithItsInterval) {
  const int64_t before_day = env_.clock.NowMs() / review::kDayMs;
  Round("en-US", 6, "turn on the lights", true);
  env_.clock.Advance(3 * review::kDayMs);
  const int64_t after_day = env_.clock.NowMs() / review::kDayMs;
  Round("en-US", 6, "turn off the light", false);
  auto cmp = review::CompareRanges(*env_.ctx, env_.stream.spec.name, {before_day, before_day + 1},
                                   {after_day, after_day});
  ASSERT_TRUE(cmp.ok()) << cmp.status().ToString();
  ASSERT_EQ(cmp->locales.size(), 2u);
  const auto& us = cmp->locales[1];
  EXPECT_EQ(us.locale, "en-US");
  EXPECT_EQ(us.a.clips, 6);
  EXPECT_EQ(us.b.clips, 6);
  ASSERT_TRUE(us.wer_change);
  EXPECT_DOUBLE_EQ(us.wer_change->value, 0.5) << "from no error to two words in four";
  ASSERT_TRUE(us.heard_accurately_change);
  EXPECT_DOUBLE_EQ(us.heard_accurately_change->value, -1.0);
  EXPECT_LT(us.heard_accurately_change->high, 0.0) << "six of six to none of six is a real drop";
  EXPECT_FALSE(us.responded_appropriately_change);
}

TEST(ProductQualityRanges, DatesParseAndBadOnesAreNamed) {
  auto r = review::ParseDayRange("2026-11-01..2026-11-14", "a");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->last - r->first, 13);
  auto one = review::ParseDayRange("2026-11-01", "b");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->first, one->last);
  for (const char* bad : {"", "2026-11-14..2026-11-01", "2026-13-01", "yesterday",
                          "2026-01-01..2026-12-31", "2026-11-01..", "2026-11-1"}) {
    auto p = review::ParseDayRange(bad, "a");
    EXPECT_EQ(p.status().reason(), "bad_range") << bad;
  }
}

TEST(ProductQualityRanges, NewcombesIntervalForADifferenceOfShares) {
  // Newcombe 1998, example (a): 56/70 - 48/80, method 10: 0.0524 to 0.3339.
  auto d = ShareDifference(48, 80, 56, 70);
  ASSERT_TRUE(d);
  EXPECT_NEAR(d->value, 0.2, 1e-12);
  EXPECT_NEAR(d->low, 0.0524, 1e-4);
  EXPECT_NEAR(d->high, 0.3339, 1e-4);
  EXPECT_FALSE(ShareDifference(0, 0, 1, 2));
}

}  // namespace
}  // namespace earshot
