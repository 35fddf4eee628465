// Claims of de-identification jobs, leases of review tasks and audit appends,
// raced by threads and by processes on one store (SQLite; PostgreSQL under
// the postgres label): each job and task goes to one claimant, and the audit
// chain stays one chain with no gap and no fork.
#include <gtest/gtest.h>
#include <sndfile.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "audit/audit_log.h"
#include "pipeline/jobs.h"
#include "review/queue.h"
#include "support/test_util.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.Open(1.0);
    GrantConsent(*env_.ctx, "acct-c", true, true);
  }

  void IngestN(int n) {
    for (int i = 0; i < n; ++i) {
      auto out = ingest::IngestRecording(
          *env_.ctx, env_.stream, Meta("acct-c", env_.clock.NowMs(), "SN", "lights on"),
          EncodeAs(Signal(800, i + 1), SF_FORMAT_WAV | SF_FORMAT_PCM_16));
      ASSERT_TRUE(out.ok()) << out.status().ToString();
    }
  }

  int64_t Count(const std::string& sql) { return QueryInt(*env_.ctx, sql); }

  // Every job id claimed, by any thread, until none is left.
  std::multiset<std::string> ClaimAll(Context& ctx, int threads) {
    std::mutex mu;
    std::multiset<std::string> claimed;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&] {
        for (;;) {
          auto job = pipeline::ClaimNextJob(ctx, 10 * 60'000);
          ASSERT_TRUE(job.ok()) << job.status().ToString();
          if (!job->has_value()) return;
          std::lock_guard<std::mutex> lock(mu);
          claimed.insert((*job)->id);
        }
      });
    }
    for (auto& w : workers) w.join();
    return claimed;
  }

  void ExpectOneChain(int64_t events) {
    auto verified = audit::Verify(*env_.ctx);
    ASSERT_TRUE(verified.ok()) << verified.status().ToString();
    EXPECT_TRUE(verified->ok) << verified->reason;
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_events"), events);
    EXPECT_EQ(Count("SELECT MAX(seq) - MIN(seq) + 1 FROM audit_events"), events) << "a gap";
    EXPECT_EQ(Count("SELECT COUNT(DISTINCT prev_hash) FROM audit_events"), events) << "a fork";
    EXPECT_EQ(Count("SELECT seq FROM audit_head"), Count("SELECT MAX(seq) FROM audit_events"));
  }

  Env env_;
};

TEST_F(ConcurrencyTest, RacingWorkersClaimEachJobOnce) {
  IngestN(24);
  const int64_t jobs = Count("SELECT COUNT(*) FROM deid_jobs");
  ASSERT_EQ(jobs, 24);
  const auto claimed = ClaimAll(*env_.ctx, 4);
  EXPECT_EQ(claimed.size(), static_cast<size_t>(jobs));
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size())
      << "a job was claimed twice";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deid_jobs WHERE state = 'running' AND attempts = 1"), jobs);
}

TEST_F(ConcurrencyTest, RacingReviewersLeaseEachTaskOnce) {
  IngestN(10);
  ASSERT_EQ(RunFakeStages(*env_.ctx, AllStages()), 10);
  std::vector<staff::StaffMember> reviewers;
  for (int i = 0; i < 10; ++i) reviewers.push_back(Reviewer(*env_.ctx, "r" + std::to_string(i)));
  std::mutex mu;
  std::multiset<std::string> leased;
  std::vector<std::thread> threads;
  for (const auto& who : reviewers) {
    threads.emplace_back([&, who] {
      auto task = review::LeaseNext(*env_.ctx, who);
      ASSERT_TRUE(task.ok()) << task.status().ToString();
      ASSERT_TRUE(task->has_value()) << "ten tasks for ten reviewers";
      std::lock_guard<std::mutex> lock(mu);
      leased.insert((*task)->task_id);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(leased.begin(), leased.end()).size(), 10u)
      << "a task was leased to two reviewers";
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT reviewer_id) FROM tasks WHERE state = 'leased'"), 10);
}

TEST_F(ConcurrencyTest, AuditAppendsFromManyThreadsFormOneChain) {
  const int64_t before = Count("SELECT COUNT(*) FROM audit_events");
  constexpr int kThreads = 8, kEach = 20;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_OK(env_.ctx->db().Write([&](store::Tx& tx) {
          return audit::Append(tx, *env_.ctx, "t" + std::to_string(t), "test.race",
                               std::to_string(i));
        }));
      }
    });
  }
  for (auto& t : threads) t.join();
  ExpectOneChain(before + kThreads * kEach);
}

// Processes, as several servers and workers on one database would be: each
// child opens the store itself, claims jobs and appends events.
TEST_F(ConcurrencyTest, RacingProcessesClaimEachJobOnceAndKeepOneChain) {
  IngestN(30);
  const int64_t before = Count("SELECT COUNT(*) FROM audit_events");
  constexpr int kProcesses = 3, kEventsEach = 15;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const std::string out = env_.dir.path() + "/claimed-" + std::to_string(p);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child never touches the parent's Context (its connections are
      // the parent's) and leaves with _exit.
      int code = 0;
      {
        Config config = TestConfig(env_.dir.path() + "/data");
        config.master_key_file = env_.dir.path() + "/data/master.key";
        FakeClock clock(kEpoch);
        auto ctx = Context::Open(config, &clock);
        if (!ctx.ok()) ::_exit(10);
        std::ofstream file(out);
        for (int i = 0;; ++i) {
          auto job = pipeline::ClaimNextJob(**ctx, 10 * 60'000);
          if (!job.ok()) {
            code = 11;
            break;
          }
          if (i < kEventsEach) {
            Status st = (*ctx)->db().Write([&](store::Tx& tx) {
              return audit::Append(tx, **ctx, "p" + std::to_string(p), "test.race", "x");
            });
            if (!st.ok()) code = 12;
          }
          if (!job->has_value()) {
            if (i >= kEventsEach) break;
            continue;
          }
          file << (*job)->id << "\n";
        }
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  std::multiset<std::string> claimed;
  for (int p = 0; p < kProcesses; ++p) {
    std::ifstream in(env_.dir.path() + "/claimed-" + std::to_string(p));
    for (std::string id; std::getline(in, id);) claimed.insert(id);
  }
  EXPECT_EQ(claimed.size(), 30u);
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), claimed.size())
      << "a job was claimed by two processes";
  ExpectOneChain(before + kProcesses * kEventsEach);
}

}  // namespace
}  // namespace earshot
