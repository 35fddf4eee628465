// The de-identification worker end to end on the queue: a recording's clip
// reaches a reviewer only after every stage, bleeped and with the masked text.
#include "pipeline/worker.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "asr/pocketsphinx.h"
#include "audio/decode.h"
#include "pipeline/jobs.h"
#include "review/queue.h"
#include "support/test_util.h"
#include "synth/flite_voice.h"

namespace earshot {
namespace {

using namespace earshot::testing;

// Stands in for the anonymizer where a test needs the redacted audio as it
// is (or a failing stage): passes audio through, or fails.
class FakeAnonymizer final : public pipeline::ClipStage {
 public:
  explicit FakeAnonymizer(bool fail = false) : fail_(fail) {}
  std::string name() const override { return "anonymize"; }
  Status Apply(audio::Pcm16&, const pipeline::DeidSettings&) override {
    return fail_ ? Internal("injected", "anonymizer failed (injected)") : Status::Ok();
  }

 private:
  bool fail_;
};

std::vector<std::unique_ptr<pipeline::ClipStage>> Stages(bool fail = false) {
  std::vector<std::unique_ptr<pipeline::ClipStage>> v;
  v.push_back(std::make_unique<FakeAnonymizer>(fail));
  return v;
}

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    GrantConsent(*env_.ctx, "acct-w", true, true);
    auto speech = synth::Speak("rms", "please call five five five one two three four");
    ASSERT_TRUE(speech.ok());
    speech_ = *speech;
    auto out = ingest::IngestRecording(*env_.ctx, env_.stream, Meta("acct-w", env_.clock.NowMs()),
                                       audio::EncodeWav(speech_));
    ASSERT_TRUE(out.ok()) << out.status().ToString();
  }
  std::unique_ptr<asr::Recognizer> Recognizer() {
    auto rec = asr::PocketsphinxRecognizer::Create();
    EXPECT_TRUE(rec.ok());
    return std::move(rec).value();
  }
  Env env_;
  audio::Pcm16 speech_;
};

TEST_F(WorkerTest, WithoutAnonymizationTheChainIsIncomplete) {
  pipeline::DeidWorker worker(*env_.ctx, Recognizer(), {});
  EXPECT_FALSE(worker.CoversRequiredStages());
  EXPECT_EQ(worker.Stages().count("anonymize"), 0u);
}

TEST_F(WorkerTest, PublishesABleepedMaskedClipThatAReviewerCanLease) {
  pipeline::DeidWorker worker(*env_.ctx, Recognizer(), Stages());
  ASSERT_TRUE(worker.CoversRequiredStages());
  auto ran = worker.RunOnce();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_TRUE(*ran);
  EXPECT_FALSE(*worker.RunOnce()) << "the queue is empty now";
  const auto reviewer = Reviewer(*env_.ctx, "rev");
  auto task = review::LeaseNext(*env_.ctx, reviewer);
  ASSERT_TRUE(task.ok() && task->has_value());
  EXPECT_NE((*task)->masked_hypothesis.find("[PHONE]"), std::string::npos)
      << (*task)->masked_hypothesis;
  EXPECT_EQ((*task)->masked_hypothesis.find("five"), std::string::npos);
  auto wav = review::TaskAudio(*env_.ctx, reviewer, (*task)->task_id);
  ASSERT_TRUE(wav.ok());
  // What the reviewer hears no longer says the number.
  auto heard = Recognizer()->Recognize(audio::PcmFromBytes(wav->bytes.substr(44)));
  ASSERT_TRUE(heard.ok());
  for (const auto& w : *heard) EXPECT_NE(w.text, "five");
}

TEST_F(WorkerTest, WithTheRealAnonymizerTheReviewerHearsAnotherVoice) {
  std::vector<std::unique_ptr<pipeline::ClipStage>> stages;
  stages.push_back(std::make_unique<pipeline::AnonymizeStage>(env_.ctx->rng()));
  pipeline::DeidWorker worker(*env_.ctx, Recognizer(), std::move(stages));
  ASSERT_TRUE(worker.CoversRequiredStages());
  ASSERT_TRUE(*worker.RunOnce());
  const auto reviewer = Reviewer(*env_.ctx, "rev");
  auto task = review::LeaseNext(*env_.ctx, reviewer);
  ASSERT_TRUE(task.ok() && task->has_value());
  auto wav = review::TaskAudio(*env_.ctx, reviewer, (*task)->task_id);
  ASSERT_TRUE(wav.ok());
  const audio::Pcm16 clip = audio::PcmFromBytes(wav->bytes.substr(44));
  ASSERT_EQ(clip.samples.size(), speech_.samples.size()) << "one clip, the whole recording";
  // Outside the bleeped number (the first words), the samples are not the
  // speaker's own: the voice was transformed, not passed through.
  size_t same = 0, voiced = 0;
  for (size_t i = 0; i < clip.samples.size(); ++i) {
    if (speech_.samples[i] == 0) continue;
    ++voiced;
    same += clip.samples[i] == speech_.samples[i];
  }
  EXPECT_LT(same, voiced / 10);
  auto heard = Recognizer()->Recognize(clip);
  ASSERT_TRUE(heard.ok());
  for (const auto& w : *heard) EXPECT_NE(w.text, "five");
}

// Invariant 4 attacked: a stream whose chain was tampered with in the
// database (e.g. set to "none" to get the raw voice through) gets no clip.
TEST_F(WorkerTest, ATamperedAnonymizationChainPublishesNothing) {
  ASSERT_TRUE(env_.ctx->db()
                  .Write([](store::Tx& tx) {
                    return tx.Exec("UPDATE streams SET anonymize_chain = 'none'", {}).status();
                  })
                  .ok());
  std::vector<std::unique_ptr<pipeline::ClipStage>> stages;
  stages.push_back(std::make_unique<pipeline::AnonymizeStage>(env_.ctx->rng()));
  pipeline::DeidWorker worker(*env_.ctx, Recognizer(), std::move(stages));
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(env_.ctx->metrics().Get("earshot_deid_failures_total", "reason", "anonymize_failed"),
            1);
  auto blobs = env_.ctx->blobs().List();
  ASSERT_TRUE(blobs.ok());
  EXPECT_EQ(blobs->size(), 1u) << "only the raw recording";
  EXPECT_FALSE(review::LeaseNext(*env_.ctx, Reviewer(*env_.ctx, "rev"))->has_value());
}

TEST_F(WorkerTest, AFailingStageIsRetriedThenQuarantinedAndStoresNoClip) {
  pipeline::DeidWorker worker(*env_.ctx, Recognizer(), Stages(/*fail=*/true));
  for (int64_t attempt = 1; attempt <= pipeline::kMaxJobAttempts; ++attempt) {
    ASSERT_TRUE(*worker.RunOnce()) << attempt;
    EXPECT_FALSE(*worker.RunOnce()) << "a failed attempt waits before the next";
    env_.clock.Advance(pipeline::kJobRetryBackoffMs * attempt + 1);
  }
  EXPECT_FALSE(*worker.RunOnce()) << "a quarantined job is never retried by itself";
  EXPECT_EQ(env_.ctx->metrics().Get("earshot_deid_failures_total", "reason", "anonymize_failed"),
            pipeline::kMaxJobAttempts);
  auto counts = pipeline::JobCounts(*env_.ctx);
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(counts->size(), 1u);
  EXPECT_EQ((*counts)[0], (std::pair<std::string, int64_t>{"quarantined", 1}));
  auto listed = pipeline::ListQuarantinedJobs(*env_.ctx);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].failure_class, "anonymize_failed");
  auto blobs = env_.ctx->blobs().List();
  ASSERT_TRUE(blobs.ok());
  EXPECT_EQ(blobs->size(), 1u) << "only the raw recording";
  EXPECT_FALSE(review::LeaseNext(*env_.ctx, Reviewer(*env_.ctx, "rev"))->has_value());
}

// A worker that vanishes (kill -9 with nobody watching, a host lost) on
// each of three attempts leaves the job to its lease; the claim after the
// third quarantines it as "lost" instead of handing it out forever.
TEST_F(WorkerTest, AJobWhoseWorkerVanishesThreeTimesIsQuarantinedAsLost) {
  for (int64_t attempt = 1; attempt <= pipeline::kMaxJobAttempts; ++attempt) {
    auto job = pipeline::ClaimNextJob(*env_.ctx, 1000);
    ASSERT_TRUE(job.ok() && job->has_value()) << attempt;
    EXPECT_EQ((*job)->attempts, attempt);
    EXPECT_FALSE(pipeline::ClaimNextJob(*env_.ctx, 1000)->has_value()) << "leased";
    env_.clock.Advance(1001);
  }
  EXPECT_FALSE(pipeline::ClaimNextJob(*env_.ctx, 1000)->has_value());
  auto listed = pipeline::ListQuarantinedJobs(*env_.ctx);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].failure_class, "lost");
}

}  // namespace
}  // namespace earshot
