// Scale-out (issue 14): `earshot serve --workers 0` answers HTTP while an
// `earshot worker` of another data directory (another host, with the
// deployment's key copied to it) claims and runs the de-identification jobs
// from the shared store: the SQLite file on one host, or PostgreSQL with the
// sealed blobs in the database under the postgres label.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "integration/http_fixture.h"
#include "util/encoding.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

bool OnPostgres() {
  return !TestPostgresUrl().empty();
}

class ScaleOutTest : public HttpTest {
 protected:
  void SetUp() override {
    // The test's own Context (env_) and the server share the blob store.
    if (OnPostgres()) ::setenv("EARSHOT_BLOBS", "postgresql", 1);
    HttpTest::SetUp();
  }
  void TearDown() override {
    StopWorker();
    HttpTest::TearDown();
    ::unsetenv("EARSHOT_BLOBS");
  }
  std::vector<std::string> ServerArgs() const override { return {"--workers", "0"}; }

  std::string BlobsUrl() const {
    return OnPostgres() ? "postgresql" : "files://" + data_dir() + "/blobs";
  }
  std::string DbUrl() const {
    return OnPostgres() ? TestDbUrl(data_dir()) : "sqlite://" + data_dir() + "/earshot.db";
  }

  // `earshot worker` on its own data directory, sharing the server's store.
  void StartWorker() {
    const std::string dir = host_.path() + "/data";
    ASSERT_OK(EnsureDir(dir));
    ASSERT_OK(WriteFileDurable(dir + "/master.key", *ReadFile(data_dir() + "/master.key"), 0600));
    const std::string binary = EarshotBinary(), db = DbUrl(), blobs = BlobsUrl();
    const std::string log = host_.path() + "/worker.log";
    worker_ = ::fork();
    ASSERT_GE(worker_, 0);
    if (worker_ == 0) {
      ::unsetenv("EARSHOT_DB");
      ::unsetenv("EARSHOT_BLOBS");
      ::dup2(::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600), STDERR_FILENO);
      ::execl(binary.c_str(), binary.c_str(), "worker", "--data", dir.c_str(), "--db", db.c_str(),
              "--blobs", blobs.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  void StopWorker() {
    if (worker_ <= 0) return;
    ::kill(worker_, SIGTERM);
    int status = 0;
    ::waitpid(worker_, &status, 0);
    worker_ = -1;
  }
  std::string WorkerLog() const {
    auto text = ReadFile(host_.path() + "/worker.log");
    return text.ok() ? *text : "";
  }

  TempDir host_;
  pid_t worker_ = -1;
};

TEST_F(ScaleOutTest, AWorkerOnAnotherHostRunsTheJobsOfAServerWithNone) {
  PutConsent("acct-far", true, true);
  const std::string wav = host_.path() + "/request.wav";
  ASSERT_EQ(Shell("flite -voice slt -t 'turn on the kitchen lights' -o " + wav).exit_code, 0);
  auto sent =
      PostRecording(env_.api_key, *ReadFile(wav),
                    MetadataJson("acct-far", "SN-1", FormatRfc3339(env_.ctx->clock().NowMs())));
  ASSERT_TRUE(sent);
  ASSERT_EQ(sent->status, 201) << sent->body;
  // The server runs no worker: the job waits.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM deid_jobs WHERE state = 'queued'"), 1);

  StartWorker();
  int64_t tasks = 0;
  for (int i = 0; i < 120 && tasks == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    tasks = QueryInt(*env_.ctx, "SELECT COUNT(*) FROM tasks");
  }
  EXPECT_EQ(tasks, 1) << "the worker never published the clip; its log:\n" << WorkerLog();
  EXPECT_EQ(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM deid_jobs WHERE state = 'done'"), 1);
  if (OnPostgres()) {
    EXPECT_GE(QueryInt(*env_.ctx, "SELECT COUNT(*) FROM sealed_blobs"), 2)
        << "the recording and its clip, in the database";
  }
  // A reviewer signed in to the server hears the clip the far worker made.
  const auto staff = StaffSession("rev-far");
  auto next = Client().Post("/api/v1/review/next", staff, "", "application/json");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, 200) << next->body;
}

TEST_F(ScaleOutTest, AWorkerWithAnotherKeyRefusesToStart) {
  const std::string dir = host_.path() + "/data";
  ASSERT_OK(EnsureDir(dir));
  ASSERT_OK(WriteFileDurable(dir + "/master.key", std::string(32, 'k'), 0600));
  auto run = Shell("EARSHOT_DB= EARSHOT_BLOBS= " + EarshotBinary() + " worker --data " + dir +
                   " --db '" + DbUrl() + "' --blobs " + BlobsUrl());
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("is not the key of this deployment"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace earshot::testing
