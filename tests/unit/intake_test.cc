// Intake: what is accepted is sealed and durable; every rejection leaves the
// database and blob directory exactly as they were.
#include "ingest/intake.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "audio/decode.h"
#include "crypto/seal.h"
#include "rights/subject_data.h"
#include "rights/subject_tokens.h"
#include "store/blob_store.h"
#include "support/test_util.h"
#include "synth/flite_voice.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class IntakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    GrantConsent(*env_.ctx, "acct-ok", true, true);
  }
  Result<ingest::IntakeOutcome> Ingest(const std::string& account, const std::string& audio) {
    return ingest::IngestRecording(*env_.ctx, env_.stream,
                                   Meta(account, env_.clock.NowMs(), "SN-PROBE-77", "hello there"),
                                   audio);
  }
  std::string data_dir() { return env_.ctx->config().data_dir; }
  Env env_;
};

TEST_F(IntakeTest, AcceptedRecordingIsSealedAndQueuedForDeidentification) {
  const audio::Pcm16 pcm = Signal(1500, 11);
  auto out = Ingest("acct-ok", EncodeAs(pcm, SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->review_candidate);
  EXPECT_EQ(out->duration_ms, 1500);
  // The blob on disk is ciphertext: no run of the PCM appears in it.
  auto blob = env_.ctx->blobs().Get(out->recording_id);
  ASSERT_TRUE(blob.ok());
  const std::string raw = audio::PcmBytes(pcm).substr(3200, 64);
  EXPECT_EQ(blob->find(raw), std::string::npos);
  EXPECT_EQ(env_.ctx->metrics().Get("earshot_recordings_accepted_total"), 1);
}

TEST_F(IntakeTest, EveryRejectionLeavesNothingStored) {
  GrantConsent(*env_.ctx, "acct-nostore", false, false);
  const std::string before = StorageFingerprint(*env_.ctx, data_dir());
  const std::string wav = EncodeAs(Signal(1000, 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16);
  struct Case {
    std::string account, audio, reason;
  };
  const std::vector<Case> cases = {
      {"acct-unknown", wav, "no_store_consent"},
      {"acct-nostore", wav, "no_store_consent"},
      {"acct-ok", "garbage bytes that are not audio", "undecodable_audio"},
      {"acct-ok", "", "empty_audio"},
      {"acct-ok", EncodeAs(Signal(31000, 2), SF_FORMAT_WAV | SF_FORMAT_PCM_16), "audio_too_long"},
  };
  for (const auto& c : cases) {
    auto out = Ingest(c.account, c.audio);
    ASSERT_FALSE(out.ok()) << c.reason;
    EXPECT_EQ(out.status().reason(), c.reason);
    EXPECT_EQ(env_.ctx->metrics().Get("earshot_recordings_rejected_total", "reason", c.reason) > 0,
              true);
  }
  // consent_events grew only through GrantConsent above, which ran before `before`.
  EXPECT_EQ(StorageFingerprint(*env_.ctx, data_dir()), before);
}

// A blob store whose writes succeed but whose database commit then fails must
// not leave the blob behind; one whose writes fail must not leave a row.
class FailingBlobs final : public store::BlobStore {
 public:
  explicit FailingBlobs(std::unique_ptr<store::BlobStore> inner) : inner_(std::move(inner)) {}
  Status Put(const std::string& name, const std::string& sealed) override {
    if (fail_puts) return Internal("injected", "disk full (injected)");
    return inner_->Put(name, sealed);
  }
  Result<std::string> Get(const std::string& name) override { return inner_->Get(name); }
  Status Delete(const std::string& name) override { return inner_->Delete(name); }
  Result<Page> List(const std::string& cursor, size_t limit) override {
    return inner_->List(cursor, limit);
  }
  Status Remove(const Entry& e) override { return inner_->Remove(e); }
  bool fail_puts = true;

 private:
  std::unique_ptr<store::BlobStore> inner_;
};

// Review and training need the recordings kept (issue 13, item 12): a
// dashboard that turns storage off must not leave training on.
TEST_F(IntakeTest, ReviewAndTrainingFollowStorage) {
  GrantConsent(*env_.ctx, "acct-dep", true, true, true);
  std::string subject;
  auto state = [&] {
    rights::ConsentState s;
    EXPECT_OK(env_.ctx->db().Write([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(subject, rights::EnsureSubject(tx, *env_.ctx, rights::kDefaultTenant,
                                                      "acct-dep"));
      ASSIGN_OR_RETURN(s, rights::CurrentConsents(tx, subject));
      return Status::Ok();
    }));
    return s;
  };
  ASSERT_TRUE(state().training);
  ASSERT_OK(rights::UpdateConsents(*env_.ctx, subject, {{rights::Purpose::kStore, false}},
                                   "p", "subject"));
  const rights::ConsentState off = state();
  EXPECT_FALSE(off.store);
  EXPECT_FALSE(off.human_review) << "withdrawing storage withdraws review";
  EXPECT_FALSE(off.training) << "withdrawing storage withdraws training";
  // Granting a dependent alone, or with storage off, is refused.
  for (const auto& changes : std::vector<std::map<rights::Purpose, bool>>{
           {{rights::Purpose::kTraining, true}},
           {{rights::Purpose::kStore, false}, {rights::Purpose::kHumanReview, true}}}) {
    Status refused = rights::UpdateConsents(*env_.ctx, subject, changes, "p", "subject");
    EXPECT_EQ(refused.reason(), "needs_store_consent") << refused.ToString();
  }
  EXPECT_FALSE(state().training);
  // With storage granted in the same change, both may be granted.
  ASSERT_OK(rights::UpdateConsents(
      *env_.ctx, subject, {{rights::Purpose::kStore, true}, {rights::Purpose::kTraining, true}},
      "p", "subject"));
  EXPECT_TRUE(state().training);
}

TEST_F(IntakeTest, BlobWriteFailureStoresNoRow) {
  const std::string before = StorageFingerprint(*env_.ctx, data_dir());
  env_.ctx->SetBlobStoreForTest(std::make_unique<FailingBlobs>(
      std::make_unique<store::FileBlobStore>(data_dir() + "/blobs")));
  auto out = Ingest("acct-ok", EncodeAs(Signal(1000, 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().reason(), "injected");
  EXPECT_EQ(StorageFingerprint(*env_.ctx, data_dir()), before);
}

TEST_F(IntakeTest, ConsentWithdrawnDuringIntakeRemovesTheBlob) {
  // Store consent revoked between admission and commit: simulate by revoking
  // from inside the blob store's Put (which runs between the two).
  class RevokingBlobs final : public store::BlobStore {
   public:
    RevokingBlobs(Env& env) : env_(env), inner_(env.ctx->config().data_dir + "/blobs") {}
    Status Put(const std::string& name, const std::string& sealed) override {
      GrantConsent(*env_.ctx, "acct-ok", false, false);
      return inner_.Put(name, sealed);
    }
    Result<std::string> Get(const std::string& n) override { return inner_.Get(n); }
    Status Delete(const std::string& n) override { return inner_.Delete(n); }
    Result<Page> List(const std::string& cursor, size_t limit) override {
      return inner_.List(cursor, limit);
    }
    Status Remove(const Entry& e) override { return inner_.Remove(e); }

   private:
    Env& env_;
    store::FileBlobStore inner_;
  };
  env_.ctx->SetBlobStoreForTest(std::make_unique<RevokingBlobs>(env_));
  auto out = Ingest("acct-ok", EncodeAs(Signal(1000, 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().reason(), "no_store_consent");
  auto blobs = env_.ctx->blobs().ListAll();
  ASSERT_TRUE(blobs.ok());
  EXPECT_TRUE(blobs->empty()) << "the sealed blob must be removed when the commit is refused";
}

TEST_F(IntakeTest, AccountIsNeverStoredInPlaintext) {
  const std::string account = "acct-plaintext-probe-4242";
  GrantConsent(*env_.ctx, account, true, true);
  ASSERT_TRUE(Ingest(account, EncodeAs(Signal(800, 5), SF_FORMAT_WAV | SF_FORMAT_PCM_16)).ok());
  ASSERT_OK(env_.ctx->db().Checkpoint());
  for (const auto& [path, content] : ReadAllFiles(data_dir())) {
    EXPECT_EQ(content.find(account), std::string::npos) << path;
    EXPECT_EQ(content.find("SN-PROBE-77"), std::string::npos) << path << " holds the device serial";
    EXPECT_EQ(content.find("hello there"), std::string::npos) << path << " holds the hypothesis";
  }
}

TEST_F(IntakeTest, TenantsDoNotShareSubjectsEvenWithTheSameAccountId) {
  ingest::StreamSpec other;
  other.name = "other-product";
  other.tenant = "other-company";
  auto created = ingest::CreateStream(*env_.ctx, other);
  ASSERT_TRUE(created.ok());
  // "acct-ok" consented in the default tenant only.
  auto out =
      ingest::IngestRecording(*env_.ctx, created->stream, Meta("acct-ok", env_.clock.NowMs()),
                              EncodeAs(Signal(500, 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
  EXPECT_EQ(out.status().reason(), "no_store_consent");
  ASSERT_TRUE(Ingest("acct-ok", EncodeAs(Signal(500, 2), SF_FORMAT_WAV | SF_FORMAT_PCM_16)).ok());
  // A token minted for the same account id in the other tenant sees nothing.
  auto token = rights::MintSubjectToken(*env_.ctx, "other-company", "acct-ok", 60'000);
  ASSERT_TRUE(token.ok());
  auto subject = rights::VerifySubjectToken(*env_.ctx, *token);
  ASSERT_TRUE(subject.ok());
  auto list = rights::ListRecordings(*env_.ctx, *subject);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_F(IntakeTest, WithoutTheWakeWordNothingIsStored) {
  ingest::StreamSpec spec;
  spec.name = "assistant-wake";
  spec.wake_word = "hey computer";
  auto created = ingest::CreateStream(*env_.ctx, spec);
  ASSERT_TRUE(created.ok());
  auto say = [&](const std::string& text) {
    auto speech = synth::Speak("slt", text);
    EXPECT_TRUE(speech.ok());
    return ingest::IngestRecording(*env_.ctx, created->stream,
                                   Meta("acct-ok", env_.clock.NowMs(), "SN-WAKE", text),
                                   audio::EncodeWav(*speech));
  };
  const std::string before = StorageFingerprint(*env_.ctx, data_dir());
  auto accidental = say("what is on my calendar today");
  ASSERT_TRUE(accidental.ok()) << accidental.status().ToString();
  EXPECT_TRUE(accidental->discarded);
  EXPECT_TRUE(accidental->recording_id.empty());
  EXPECT_EQ(StorageFingerprint(*env_.ctx, data_dir()), before) << "no audio, no row";
  EXPECT_EQ(
      env_.ctx->metrics().Get("earshot_accidental_activations_total", "stream", "assistant-wake"),
      1);
  auto intended = say("hey computer what is on my calendar today");
  ASSERT_TRUE(intended.ok());
  EXPECT_FALSE(intended->discarded);
  EXPECT_FALSE(intended->recording_id.empty());
}

}  // namespace
}  // namespace earshot
