#include "ingest/sampler.h"

#include <gtest/gtest.h>

#include <cmath>

namespace earshot {
namespace {

TEST(Sampler, DeterministicPerRecordingAndKey) {
  const std::string key(32, 'a');
  EXPECT_EQ(ingest::SampleDraw(key, "str_1", "rec_1"), ingest::SampleDraw(key, "str_1", "rec_1"));
  EXPECT_NE(ingest::SampleDraw(key, "str_1", "rec_1"), ingest::SampleDraw(key, "str_1", "rec_2"));
  EXPECT_NE(ingest::SampleDraw(key, "str_1", "rec_1"),
            ingest::SampleDraw(std::string(32, 'b'), "str_1", "rec_1"));
}

TEST(Sampler, DrawsTheConfiguredFraction) {
  const std::string key(32, 'z');
  for (double rate : {0.0, 0.05, 0.3, 1.0}) {
    int picked = 0;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
      picked += ingest::IsSampled(ingest::SampleDraw(key, "s", "rec_" + std::to_string(i)), rate);
    }
    // Binomial: 5 standard deviations.
    const double sd = std::sqrt(n * rate * (1 - rate));
    EXPECT_NEAR(picked, n * rate, 5 * sd + 1) << "rate " << rate;
  }
}

}  // namespace
}  // namespace earshot
