// The lead's quality report and what it is built from: word error counting
// with bleeps, waveform peaks, and the per-stream hourly series (reviewed
// clips, WER, answer shares, queue depth, accidental activations).
#include "review/quality.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "audio/peaks.h"
#include "ingest/intake.h"
#include "ingest/streams.h"
#include "pipeline/jobs.h"
#include "review/queue.h"
#include "support/test_util.h"
#include "util/word_errors.h"

namespace earshot {
namespace {

using namespace earshot::testing;

TEST(WordErrors, BleepsAndMasksCountAsTheSameWord) {
  EXPECT_EQ(NormalizedWords("Call [LONG_NUMBER], now!"),
            (std::vector<std::string>{"call", "[pii]", "now"}));
  const WordErrors same = CountWordErrors("call [bleep] now", "call [PHONE_NUMBER] now");
  EXPECT_EQ(same.errors, 0);
  EXPECT_EQ(same.reference_words, 3);
  EXPECT_EQ(CountWordErrors("turn on the lights", "turn off the light").errors, 2);
  EXPECT_EQ(CountWordErrors("turn on the lights", "turn on the lights please").errors, 1);
  EXPECT_EQ(CountWordErrors("turn on the lights", "").errors, 4);
  EXPECT_EQ(CountWordErrors("", "anything").reference_words, 0);
  EXPECT_EQ(CountWordErrors("[unclosed bracket", "x").reference_words, 1);
}

TEST(Peaks, OneValuePerBucketScaledToOne) {
  audio::Pcm16 pcm;
  pcm.samples.assign(16000, 0);
  for (size_t i = 8000; i < 16000; ++i) pcm.samples[i] = (i % 2) ? 32767 : -32768;
  const auto peaks = audio::Peaks(pcm, 4);
  ASSERT_EQ(peaks.size(), 4u);
  EXPECT_EQ(peaks[0], 0.0f);
  EXPECT_EQ(peaks[1], 0.0f);
  EXPECT_FLOAT_EQ(peaks[2], 1.0f) << "-32768 is clamped to full scale";
  EXPECT_FLOAT_EQ(peaks[3], 1.0f);
  EXPECT_EQ(audio::Peaks(pcm, 0).size(), 1u);
  EXPECT_EQ(audio::Peaks(pcm, 1 << 20).size(), size_t{audio::kMaxPeakBuckets});
  EXPECT_EQ(audio::Peaks(audio::Pcm16{}, 10), std::vector<float>(10, 0.0f));
  pcm.samples.resize(3);  // fewer samples than buckets
  EXPECT_EQ(audio::Peaks(pcm, 10).size(), 10u);
}

class QualityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    GrantConsent(*env_.ctx, "acct-q", true, true);
  }
  void Ingest(uint32_t seed) {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta("acct-q", env_.clock.NowMs(), "SN", "turn on the lights"),
        EncodeAs(Signal(1200, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
  }
  void Review(const staff::StaffMember& who, const std::string& transcript,
              std::optional<bool> heard) {
    auto task = review::LeaseNext(*env_.ctx, who);
    ASSERT_TRUE(task.ok() && task->has_value());
    review::AnnotationInput in;
    in.transcript = transcript;
    in.heard_accurately = heard;
    ASSERT_OK(review::Annotate(*env_.ctx, who, (*task)->task_id, in));
  }
  Env env_;
};

TEST_F(QualityTest, TheHourlySeriesCountsWhatReviewersDid) {
  for (uint32_t s = 1; s <= 3; ++s) Ingest(s);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 3);
  env_.clock.Advance(3'600'000);  // an hour later
  const auto rita = Reviewer(*env_.ctx, "rita");
  Review(rita, "turn on the lights", true);        // 0 errors of 4
  Review(rita, "turn off all the lights", false);  // 2 errors of 5
  auto report = review::QualityOverTime(*env_.ctx, 3);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->hours.size(), 3u);
  ASSERT_EQ(report->streams.size(), 1u);
  const auto& q = report->streams[0];
  EXPECT_EQ(q.stream, "assistant-en-US");
  EXPECT_EQ(q.reviewed, (std::vector<int64_t>{0, 0, 2}));
  ASSERT_TRUE(q.wer[2].has_value());
  EXPECT_DOUBLE_EQ(*q.wer[2], 2.0 / 9.0);
  EXPECT_FALSE(q.wer[1].has_value()) << "no reviews that hour";
  EXPECT_DOUBLE_EQ(q.heard_accurately[2].value_or(-1), 0.5);
  EXPECT_FALSE(q.responded_appropriately[2].has_value()) << "nobody answered it";
  EXPECT_EQ(q.queue_depth[1], 3) << "three queued at the end of the first hour";
  EXPECT_EQ(q.queue_depth[2], 1) << "one left after two reviews";
  EXPECT_DOUBLE_EQ(q.accidental_rate[1].value_or(-1), 0.0) << "three received, none discarded";
}

// Issue 12, item 3: each clip keeps where it was bleeped; leads see the
// bleeped share per stream and hour and for the last day, and the reviewer
// holding the clip gets the bleeps with its waveform.
TEST_F(QualityTest, Regression12TheBleepedShareIsKeptPerClipAndShownPerStream) {
  Ingest(1);
  Ingest(2);
  for (int k = 0; k < 2; ++k) {
    auto job = pipeline::ClaimNextJob(*env_.ctx, 60'000);
    ASSERT_TRUE(job.ok() && job->has_value());
    auto input = pipeline::LoadJobInput(*env_.ctx, **job);
    ASSERT_TRUE(input.ok()) << input.status().ToString();
    pipeline::ClipDraft draft{input->audio, "turn on the lights", AllStages(), {}};
    if (k == 0) draft.bleeps = {{0, 300}, {600, 900}};  // 600 of 1200 ms
    ASSERT_TRUE(pipeline::PublishClips(*env_.ctx, **job, {draft}).ok());
  }
  auto report = review::QualityOverTime(*env_.ctx, 1);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->streams.size(), 1u);
  EXPECT_DOUBLE_EQ(report->streams[0].bleeped_share[0].value_or(-1), 600.0 / 2400.0);
  auto day = review::BleepedLastDay(*env_.ctx);
  ASSERT_TRUE(day.ok());
  ASSERT_EQ(day->size(), 1u);
  EXPECT_EQ((*day)[0].stream, "assistant-en-US");
  EXPECT_DOUBLE_EQ((*day)[0].share, 0.25);
  EXPECT_EQ((*day)[0].clips, 2);

  // The reviewer sees the bleeps of the clip they hold, whichever it is.
  const auto rita = Reviewer(*env_.ctx, "rita");
  std::set<size_t> seen;
  for (int k = 0; k < 2; ++k) {
    auto task = review::LeaseNext(*env_.ctx, rita);
    ASSERT_TRUE(task.ok() && task->has_value());
    auto outline = review::TaskPeaks(*env_.ctx, rita, (*task)->task_id, 10);
    ASSERT_TRUE(outline.ok()) << outline.status().ToString();
    EXPECT_EQ(outline->peaks.size(), 10u);
    EXPECT_EQ(outline->duration_ms, 1200);
    seen.insert(outline->bleeps.size());
    if (!outline->bleeps.empty()) {
      EXPECT_EQ(outline->bleeps, (std::vector<std::pair<int64_t, int64_t>>{{0, 300}, {600, 900}}));
    }
    review::AnnotationInput in;
    in.transcript = "turn on the lights";
    ASSERT_OK(review::Annotate(*env_.ctx, rita, (*task)->task_id, in));
  }
  EXPECT_EQ(seen, (std::set<size_t>{0, 2}));
  // Nothing published in the last day: no stream is listed.
  env_.clock.Advance(25 * 3'600'000LL);
  auto later = review::BleepedLastDay(*env_.ctx);
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE(later->empty());
}

TEST_F(QualityTest, DiscardedActivationsAreCountedWithNothingStored) {
  ingest::StreamSpec spec;
  spec.name = "wake-stream";
  spec.wake_word = "hey computer";
  auto stream = ingest::CreateStream(*env_.ctx, spec);
  ASSERT_TRUE(stream.ok());
  const std::string before = StorageFingerprint(*env_.ctx, env_.ctx->config().data_dir);
  auto out = ingest::IngestRecording(*env_.ctx, stream->stream,
                                     Meta("acct-q", env_.clock.NowMs(), "SN", "no wake word"),
                                     EncodeAs(Signal(1500, 9), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_TRUE(out.ok() && out->discarded);
  EXPECT_EQ(StorageFingerprint(*env_.ctx, env_.ctx->config().data_dir), before);
  auto report = review::QualityOverTime(*env_.ctx, 1);
  ASSERT_TRUE(report.ok());
  for (const auto& q : report->streams) {
    if (q.stream == "wake-stream") EXPECT_DOUBLE_EQ(q.accidental_rate[0].value_or(-1), 1.0);
  }
  EXPECT_EQ(review::QualityOverTime(*env_.ctx, 0).status().reason(), "bad_hours");
  EXPECT_EQ(review::QualityOverTime(*env_.ctx, review::kMaxQualityHours + 1).status().reason(),
            "bad_hours");
}

}  // namespace
}  // namespace earshot
