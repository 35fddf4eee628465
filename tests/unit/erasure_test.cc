// DESIGN.md invariant 7: after erasure no plaintext of the subject remains
// anywhere under the data directory, other subjects are intact, and an
// interrupted erasure is finished on resume.
#include "rights/erasure.h"

#include <gtest/gtest.h>
#include <sndfile.h>

#include "pipeline/jobs.h"
#include "review/queue.h"
#include "rights/subject_data.h"
#include "rights/subject_tokens.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class ErasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    GrantConsent(*env_.ctx, kVictim, true, true);
    GrantConsent(*env_.ctx, kOther, true, true);
  }

  std::string Ingest(const std::string& account, uint32_t seed, const std::string& text) {
    auto out = ingest::IngestRecording(
        *env_.ctx, env_.stream, Meta(account, env_.clock.NowMs(), "SERIAL-" + account, text),
        EncodeAs(Signal(2000, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out->recording_id;
  }

  // The subject id, or "" if none is held.
  std::string SubjectOf(const std::string& account) {
    std::string id;
    (void)env_.ctx->db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(
          id, rights::FindSubjectByAccount(tx, *env_.ctx, rights::kDefaultTenant, account));
      return Status::Ok();
    });
    return id;
  }

  // Reviews every queued task with a transcript that names `marker`.
  void ReviewAll(const std::string& marker) {
    const auto reviewer = Reviewer(*env_.ctx, "reviewer-one");
    for (;;) {
      auto task = review::LeaseNext(*env_.ctx, reviewer);
      ASSERT_TRUE(task.ok());
      if (!task->has_value()) break;
      ASSERT_TRUE(review::TaskAudio(*env_.ctx, reviewer, (*task)->task_id).ok());
      review::AnnotationInput in;
      in.transcript = "reviewer heard " + marker;
      in.note = "note about " + marker;
      ASSERT_OK(review::Annotate(*env_.ctx, reviewer, (*task)->task_id, in));
    }
  }

  void ExpectNoTraceOf(const std::vector<std::string>& needles) {
    for (const auto& [path, content] : ReadAllFiles(env_.ctx->config().data_dir)) {
      for (const auto& needle : needles) {
        EXPECT_EQ(content.find(needle), std::string::npos)
            << path << " still holds a trace of needle #" << (&needle - &needles[0]);
      }
    }
  }

  static constexpr const char* kVictim = "acct-victim-91827";
  static constexpr const char* kOther = "acct-bystander-55";
  Env env_;
};

TEST_F(ErasureTest, EraseSubjectLeavesNoTraceAndOthersStillDecrypt) {
  const std::string r1 = Ingest(kVictim, 101, "victim says purple elephant");
  const std::string r2 = Ingest(kVictim, 102, "victim says orange giraffe");
  const std::string keep = Ingest(kOther, 103, "bystander words");
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 3);
  // Leave one victim task leased to prove erasure also pulls live leases.
  ReviewAll("zebra-crossing-77");
  const std::string victim = SubjectOf(kVictim);

  // Fingerprints of the victim's audio as it was stored (canonical PCM).
  std::vector<std::string> needles = {kVictim, "SERIAL-acct-victim", "purple elephant",
                                      "orange giraffe", "zebra-crossing-77"};
  for (const auto& rec : {r1, r2}) {
    auto wav = rights::RecordingAudioWav(*env_.ctx, victim, rec);
    ASSERT_TRUE(wav.ok());
    needles.push_back(wav->substr(44 + 8000, 48));
  }
  auto receipt = rights::EraseSubject(*env_.ctx, victim);
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_EQ(receipt->recordings_erased, 2);
  ExpectNoTraceOf(needles);

  // The victim is gone everywhere; tokens stop working.
  EXPECT_EQ(SubjectOf(kVictim), "");
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    for (const char* sql : {"SELECT COUNT(*) FROM recordings WHERE subject_id = ?",
                            "SELECT COUNT(*) FROM clips WHERE subject_id = ?",
                            "SELECT COUNT(*) FROM consents WHERE subject_id = ?",
                            "SELECT COUNT(*) FROM consent_events WHERE subject_id = ?",
                            "SELECT COUNT(*) FROM subjects WHERE id = ?"}) {
      ASSIGN_OR_RETURN(auto rows, tx.Query(sql, {victim}));
      EXPECT_EQ(rows[0].Int(0), 0) << sql;
    }
    ASSIGN_OR_RETURN(auto tombs, tx.Query("SELECT COUNT(*) FROM tombstones", {}));
    EXPECT_EQ(tombs[0].Int(0), 2);
    return Status::Ok();
  }));
  // The bystander's recording still decrypts.
  auto other = rights::RecordingAudioWav(*env_.ctx, SubjectOf(kOther), keep);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_GT(other->size(), 44u + 60000);
}

TEST_F(ErasureTest, EraseOneRecordingKeepsTheRestAndLeavesATombstoneInTheExport) {
  const std::string gone = Ingest(kVictim, 201, "delete me please");
  const std::string kept = Ingest(kVictim, 202, "keep me");
  const std::string victim = SubjectOf(kVictim);
  auto wav = rights::RecordingAudioWav(*env_.ctx, victim, gone);
  ASSERT_TRUE(wav.ok());
  const std::string pcm_probe = wav->substr(44 + 6000, 48);
  // Someone else's token cannot delete it.
  EXPECT_EQ(rights::EraseRecording(*env_.ctx, SubjectOf(kOther), gone).status().reason(),
            "no_such_recording");
  ASSERT_TRUE(rights::EraseRecording(*env_.ctx, victim, gone).ok());
  ExpectNoTraceOf({pcm_probe, "delete me please"});
  auto list = rights::ListRecordings(*env_.ctx, victim);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, kept);
  auto archive = ExportToString(*env_.ctx, victim);
  ASSERT_TRUE(archive.ok());
  EXPECT_NE(archive->find("\"tombstones\""), std::string::npos);
  EXPECT_NE(archive->find(gone), std::string::npos) << "the export names the erased recording";
  EXPECT_EQ(archive->find("recordings/" + gone + ".wav"), std::string::npos);
}

// A blob store that fails deletes until told otherwise: erasure stops half way.
class FlakyDeletes final : public store::BlobStore {
 public:
  explicit FlakyDeletes(const std::string& root) : inner_(root) {}
  Status Put(const std::string& n, const std::string& s) override { return inner_.Put(n, s); }
  Result<std::string> Get(const std::string& n) override { return inner_.Get(n); }
  Status Delete(const std::string& n) override {
    if (fail) return Internal("injected", "I/O error (injected)");
    return inner_.Delete(n);
  }
  Result<Page> List(const std::string& cursor, size_t limit) override {
      return inner_.List(cursor, limit);
    }
  Status Remove(const Entry& e) override { return inner_.Remove(e); }
  bool fail = true;

 private:
  store::FileBlobStore inner_;
};

TEST_F(ErasureTest, InterruptedErasureIsCryptoShreddedAtOnceAndFinishedOnResume) {
  const std::string rec = Ingest(kVictim, 301, "interrupted words");
  const std::string victim = SubjectOf(kVictim);
  auto flaky = std::make_unique<FlakyDeletes>(env_.ctx->config().data_dir + "/blobs");
  FlakyDeletes* handle = flaky.get();
  env_.ctx->SetBlobStoreForTest(std::move(flaky));
  auto receipt = rights::EraseSubject(*env_.ctx, victim);
  ASSERT_FALSE(receipt.ok());
  // Already unreadable: the key is destroyed before anything else.
  EXPECT_FALSE(rights::RecordingAudioWav(*env_.ctx, victim, rec).ok());
  EXPECT_EQ(rights::VerifySubjectToken(*env_.ctx, "sjt_x.y").status().code(),
            Code::kUnauthenticated);
  handle->fail = false;
  auto resumed = rights::ResumePendingErasures(*env_.ctx);
  ASSERT_TRUE(resumed.ok()) << resumed.status().ToString();
  EXPECT_EQ(*resumed, 1);
  ExpectNoTraceOf({kVictim, "interrupted words"});
  auto blobs = env_.ctx->blobs().ListAll();
  ASSERT_TRUE(blobs.ok());
  EXPECT_TRUE(blobs->empty());
  EXPECT_EQ(*rights::ResumePendingErasures(*env_.ctx), 0);
}

TEST_F(ErasureTest, ARecordingBeingErasedIsNeverPublishedAndAFailedErasureCanBeRetried) {
  const std::string rec = Ingest(kVictim, 401, "erase during processing");
  const std::string victim = SubjectOf(kVictim);
  auto job = pipeline::ClaimNextJob(*env_.ctx, 60'000);
  ASSERT_TRUE(job.ok() && job->has_value());
  auto input = pipeline::LoadJobInput(*env_.ctx, **job);
  ASSERT_TRUE(input.ok());

  auto flaky = std::make_unique<FlakyDeletes>(env_.ctx->config().data_dir + "/blobs");
  FlakyDeletes* handle = flaky.get();
  env_.ctx->SetBlobStoreForTest(std::move(flaky));
  ASSERT_FALSE(rights::EraseRecording(*env_.ctx, victim, rec).ok());  // stopped half way
  pipeline::ClipDraft draft{input->audio, "text", AllStages()};
  EXPECT_FALSE(pipeline::PublishClips(*env_.ctx, **job, {draft}).ok())
      << "a recording under erasure must not become a clip";
  handle->fail = false;
  auto retried = rights::EraseRecording(*env_.ctx, victim, rec);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  auto blobs = env_.ctx->blobs().ListAll();
  ASSERT_TRUE(blobs.ok());
  EXPECT_TRUE(blobs->empty());
  EXPECT_EQ(*rights::ResumePendingErasures(*env_.ctx), 0);
}

}  // namespace
}  // namespace earshot
