// The de-identification worker end to end on the queue: a recording's clip
// reaches a reviewer only after every stage, bleeped and with the masked text.
#include "pipeline/worker.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "asr/pocketsphinx.h"
#include "audio/decode.h"
#include "pipeline/jobs.h"
#include "privacy/pii/pii.h"
#include "review/queue.h"
#include "support/test_util.h"
#include "synth/flite_voice.h"
#include "util/encoding.h"

namespace earshot {
namespace {

using namespace earshot::testing;

// Stands in for the anonymizer where a test needs the redacted audio as it
// is (or a failing stage): passes audio through, or fails.
class FakeAnonymizer final : public pipeline::ClipStage {
 public:
  explicit FakeAnonymizer(bool fail = false) : fail_(fail) {}
  pipeline::Stage stage() const override { return pipeline::Stage::kAnonymize; }
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
  EXPECT_EQ(worker.Stages().count(pipeline::Stage::kAnonymize), 0u);
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
  auto blobs = env_.ctx->blobs().ListAll();
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
  auto blobs = env_.ctx->blobs().ListAll();
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

// --- issue 11, item 4: identifiers in the words a reviewer reads ------------

// A recognizer that returns fixed words.
class FixedRecognizer final : public asr::Recognizer {
 public:
  explicit FixedRecognizer(std::vector<asr::Word> words) : words_(std::move(words)) {}
  Result<std::vector<asr::Word>> Recognize(const audio::Pcm16&) override { return words_; }

 private:
  std::vector<asr::Word> words_;
};

// The recording of the attack: its own account, serial and capture time
// (2026-11-03 14:05 at UTC-5, 19:05 UTC) in the words, written and spoken.
constexpr const char* kOwnAccount = "acct-5550172";
constexpr const char* kOwnSerial = "SN-8841-QX";
constexpr const char* kOwnCapturedAt = "2026-11-03T14:05:00-05:00";
constexpr const char* kSaysItsIdentifiers =
    "my account is acct-5550172 or ACCT 5550172 and the serial is SN-8841-QX "
    "that is s n eight eight four one q x or sn 8841 qx "
    "it is 14:05 or 2:05 pm or 19:05 or two oh five p m or fourteen oh five "
    "on 2026-11-03 or 11/03/2026 or 3 Nov 2026 or November 3rd or november third";

// Lower-cased letters and digits only, digit words as digits: "S N eight
// 8-4" and "sn84" read the same.
std::string Squash(const std::string& text) {
  static const std::vector<std::string> kDigits = {"zero", "one", "two",   "three", "four",
                                                   "five", "six", "seven", "eight", "nine"};
  std::string out;
  for (const std::string& word : privacy::pii::SplitWords(text)) {
    std::string w;
    for (char c : word) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    for (size_t d = 0; d < kDigits.size(); ++d) {
      if (w == kDigits[d]) w = std::to_string(d);
    }
    if (w == "oh") w = "0";
    out += w;
  }
  return out;
}

// Fails with what leaked if `masked` still says any identifier of the attack
// recording, in any case or spacing.
void ExpectNoOwnIdentifier(const std::string& masked) {
  const std::string squashed = Squash(masked);
  for (const char* id : {"acct5550172", "5550172", "sn8841qx", "8841", "1405", "205", "1905",
                         "20261103", "11032026", "3nov2026"}) {
    EXPECT_EQ(squashed.find(id), std::string::npos) << id << " leaked: " << masked;
  }
  std::string lower;
  for (char c : masked)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const std::string& word : privacy::pii::SplitWords(lower)) {
    EXPECT_NE(word.size(), 1u) << "a spelled letter or digit leaked: " << masked;
    for (const char* piece : {"acct", "sn", "qx", "nov", "november", "third", "3rd", "pm"}) {
      EXPECT_NE(word, piece) << piece << " leaked: " << masked;
    }
  }
  for (const char* form : {"14:05", "2:05", "19:05", "2026-11-03", "11/03/2026"}) {
    EXPECT_EQ(lower.find(form), std::string::npos) << form << " leaked: " << masked;
  }
}

// Ingests one recording of `account` whose product hypothesis is `text`, one
// word per 150 ms with times (so the chain uses the product's words), short
// enough to make one clip.
void IngestSaying(Env& env, const std::string& account, const std::string& text,
                  int64_t min_ms = 0) {
  nlohmann::json words = nlohmann::json::array();
  double t = 0.1;
  for (const std::string& w : privacy::pii::SplitWords(text)) {
    words.push_back({{"w", w}, {"start", t}, {"end", t + 0.12}});
    t += 0.15;
  }
  const nlohmann::json meta = {{"account", account},
                               {"device_serial", kOwnSerial},
                               {"captured_at", kOwnCapturedAt},
                               {"locale", "en-US"},
                               {"hypothesis", {{"text", text}, {"words", words}}}};
  auto parsed = ingest::ParseMetadata(meta.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const audio::Pcm16 pcm = Signal(std::max(static_cast<int64_t>(t * 1000) + 300, min_ms), 41);
  auto out = ingest::IngestRecording(*env.ctx, env.stream, *parsed,
                                     EncodeAs(pcm, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE(out->review_candidate);
}

// The masked hypothesis of every task reviewers can lease, joined.
std::string EverythingAReviewerReads(Env& env) {
  std::string all;
  for (int n = 0;; ++n) {
    auto task = review::LeaseNext(*env.ctx, Reviewer(*env.ctx, "rev" + std::to_string(n)));
    EXPECT_TRUE(task.ok()) << task.status().ToString();
    if (!task.ok() || !task->has_value()) break;
    all += (*task)->masked_hypothesis + " ";
  }
  return all;
}

class DeidRegression11 : public ::testing::Test {
 protected:
  void SetUp() override {
    // Consent holds from before the capture (the clock runs to just after it).
    env_.clock.Set(*ParseRfc3339("2026-11-03T18:00:00Z"));
    env_.Open(1.0);
    GrantConsent(*env_.ctx, kOwnAccount, true, true);
    env_.clock.Set(*ParseRfc3339("2026-11-03T19:06:00Z"));
  }
  Env env_;
};

// Issue 11, item 4: a product hypothesis holding the recording's own account
// id, serial and capture time showed them all to the reviewer.
TEST_F(DeidRegression11, ProductHypothesisWithOwnAccountAndSerialIsMasked) {
  IngestSaying(env_, kOwnAccount, kSaysItsIdentifiers);
  pipeline::DeidWorker worker(*env_.ctx, nullptr, Stages());
  auto ran = worker.RunOnce();
  ASSERT_TRUE(ran.ok() && *ran) << ran.status().ToString();
  const std::string seen = EverythingAReviewerReads(env_);
  ASSERT_NE(seen.find("my account is"), std::string::npos) << "no task published: " << seen;
  ExpectNoOwnIdentifier(seen);
  EXPECT_NE(seen.find("[ACCOUNT_ID]"), std::string::npos) << seen;
  EXPECT_NE(seen.find("[DEVICE_SERIAL]"), std::string::npos) << seen;
  EXPECT_NE(seen.find("[CAPTURE_TIME]"), std::string::npos) << seen;
}

// Whatever stage made a clip's text, it is checked once more before it is
// published: the fake stages publish the product's text as it is.
TEST_F(DeidRegression11, TextFromAnyStageIsCheckedBeforeItIsPublished) {
  IngestSaying(env_, kOwnAccount, kSaysItsIdentifiers);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 1);
  const std::string seen = EverythingAReviewerReads(env_);
  ASSERT_NE(seen.find("my account is"), std::string::npos) << "no task published: " << seen;
  ExpectNoOwnIdentifier(seen);
}

// The same words heard by the recognizer (the stream ignores product words).
TEST_F(DeidRegression11, RecognizerWordsWithOwnAccountAndSerialAreMasked) {
  ASSERT_OK(env_.ctx->db().Write([](store::Tx& tx) {
    return tx.Exec("UPDATE streams SET use_product_words = 0", {}).status();
  }));
  IngestSaying(env_, kOwnAccount, "something else entirely", /*min_ms=*/6500);
  std::vector<asr::Word> heard;
  int64_t t = 100;
  for (const std::string& w : privacy::pii::SplitWords(
           "my account is a c c t five five five zero one seven two and the serial is "
           "s n eight eight four one q x it is two oh five p m on november third")) {
    heard.push_back({w, t, t + 120, 0.9});
    t += 150;
  }
  pipeline::DeidWorker worker(*env_.ctx, std::make_unique<FixedRecognizer>(heard), Stages());
  auto ran = worker.RunOnce();
  ASSERT_TRUE(ran.ok() && *ran) << ran.status().ToString();
  const std::string seen = EverythingAReviewerReads(env_);
  ASSERT_NE(seen.find("my account is"), std::string::npos) << "no task published: " << seen;
  ExpectNoOwnIdentifier(seen);
  EXPECT_EQ(seen.find("something else"), std::string::npos) << "the recognizer's words are used";
}

}  // namespace
}  // namespace earshot
