// Issue 14, item 7 (labels postgres;slow): three `earshot serve` and four
// `earshot worker` processes, each with a data directory of its own (as on
// separate hosts, the deployment's master key copied to each), sharing one
// PostgreSQL with the sealed blobs in it. Twenty ingest clients and ten
// reviewers work against the servers for a minute; one worker is killed
// with SIGKILL while the job queue is backed up (so mid-job) and one server
// while requests are in flight. Afterwards: every acknowledged recording is
// there and decrypts, no job published twice, no clip leased to two
// reviewers at once, every listen a reviewer got is in the listens table,
// and the audit chain verifies.
#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/audit_log.h"
#include "ingest/streams.h"
#include "rights/recording_access.h"
#include "rights/subjects.h"
#include "support/server_process.h"
#include "support/test_util.h"
#include "util/encoding.h"
#include "util/fs.h"

namespace earshot::testing {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr int kServers = 3, kWorkers = 4, kIngestClients = 20, kReviewers = 10;

double SecondsFromEnv(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atof(v) : fallback;
}

pid_t StartWorker(const std::string& dir, const std::string& db) {
  const std::string binary = EarshotBinary(), log = dir + ".log";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600), STDERR_FILENO);
    ::execl(binary.c_str(), binary.c_str(), "worker", "--data", dir.c_str(), "--db", db.c_str(),
            "--blobs", "postgresql", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

struct Lease {
  std::string task, reviewer;
  int64_t from_ms, to_ms;  // from before `next` was sent to after the annotation's reply
};

TEST(ScaleOutLoad, ThreeServersAndFourWorkersOnOnePostgresLoseNothingWhenKilled) {
  if (TestPostgresUrl().empty()) GTEST_SKIP() << "needs PostgreSQL (CTest label postgres)";
  const double seconds = SecondsFromEnv("EARSHOT_LOAD_SECONDS", 60);
  TempDir root;
  const std::string db = TestDbUrl(root.path());
  std::vector<std::string> dirs;
  for (int i = 0; i < kServers + kWorkers; ++i) {
    dirs.push_back(root.path() + "/host" + std::to_string(i));
    ASSERT_OK(EnsureDir(dirs.back()));
  }
  // The test's own view of the deployment: host0's data directory.
  Config config = DefaultConfig(dirs[0]);
  config.db_url = db;
  config.blobs_url = "postgresql";
  auto opened = Context::Open(config);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Context& ctx = **opened;
  for (size_t i = 1; i < dirs.size(); ++i) {
    ASSERT_OK(WriteFileDurable(dirs[i] + "/master.key", *ReadFile(dirs[0] + "/master.key"), 0600));
  }
  ingest::StreamSpec spec;
  spec.name = "assistant-en-US";
  spec.sample_rate = 1.0;
  spec.double_review = 0.0;  // one reviewer per clip: the checks below count on it
  auto stream = ingest::CreateStream(ctx, spec);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  for (int c = 0; c < kIngestClients; ++c)
    GrantConsent(ctx, "acct-" + std::to_string(c), true, true);
  std::vector<staff::Session> reviewers;
  for (int r = 0; r < kReviewers; ++r)
    reviewers.push_back(SignedIn(ctx, "rev-" + std::to_string(r), "reviewer"));
  std::vector<std::string> wavs;
  for (const char* words : {"turn on the kitchen lights", "what is the weather tomorrow",
                            "set a timer for ten minutes"}) {
    const std::string path = root.path() + "/" + std::to_string(wavs.size()) + ".wav";
    ASSERT_EQ(Shell("flite -voice slt -t '" + std::string(words) + "' -o " + path).exit_code, 0);
    wavs.push_back(*ReadFile(path));
  }

  std::vector<std::unique_ptr<ServerProcess>> servers;
  for (int s = 0; s < kServers; ++s) {
    servers.push_back(std::make_unique<ServerProcess>(dirs[s]));
    servers.back()->set_extra_args({"--workers", "0", "--db", db, "--blobs", "postgresql"});
    ASSERT_TRUE(servers.back()->Start()) << servers.back()->Log();
  }
  std::vector<pid_t> workers;
  for (int w = 0; w < kWorkers; ++w) workers.push_back(StartWorker(dirs[kServers + w], db));
  std::vector<int> ports;
  for (const auto& s : servers) ports.push_back(s->port());
  std::atomic<int> killed_server{-1};

  const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::vector<Lease> leases;
  std::atomic<int64_t> listens_heard{0}, ingest_failed{0}, review_errors{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kIngestClients; ++c) {
    threads.emplace_back([&, c] {
      const std::string account = "acct-" + std::to_string(c);
      for (int i = 0; Clock::now() < deadline; ++i) {
        const int s = (c + i) % kServers;
        if (s == killed_server.load()) continue;
        httplib::Client client("127.0.0.1", ports[s]);
        client.set_read_timeout(30, 0);
        const json meta = {{"account", account},
                           {"device_serial", "SN-" + std::to_string(c)},
                           {"captured_at", FormatRfc3339(ctx.clock().NowMs())},
                           {"locale", "en-US"}};
        auto res =
            client.Post("/api/v1/recordings", {{"Authorization", "Bearer " + stream->api_key}},
                        {{"audio", wavs[i % wavs.size()], "clip.wav", "audio/wav"},
                         {"metadata", meta.dump(), "", ""}});
        if (res && res->status == 201) {
          const json body = json::parse(res->body);
          if (body["id"].is_string()) {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged.push_back(body["id"].get<std::string>());
          }
        } else {
          ingest_failed++;  // a killed server's in-flight request: never acknowledged
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
    });
  }
  for (int r = 0; r < kReviewers; ++r) {
    threads.emplace_back([&, r] {
      const httplib::Headers staff = {{"Cookie", "earshot_session=" + reviewers[r].id},
                                      {"X-CSRF-Token", reviewers[r].csrf}};
      for (int i = 0; Clock::now() < deadline; ++i) {
        const int s = (r + i) % kServers;
        if (s == killed_server.load()) continue;
        httplib::Client client("127.0.0.1", ports[s]);
        client.set_read_timeout(30, 0);
        const int64_t from = ctx.clock().NowMs();
        auto next = client.Post("/api/v1/review/next", staff, "", "application/json");
        if (!next || next->status != 200) {
          review_errors++;
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
          continue;
        }
        const json task = json::parse(next->body)["task"];
        if (task.is_null()) {
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          continue;
        }
        const std::string id = task["id"].get<std::string>();
        auto audio = client.Get("/api/v1/review/tasks/" + id + "/audio", staff);
        if (audio && audio->status == 200) listens_heard++;
        auto done = client.Post("/api/v1/review/tasks/" + id + "/annotation", staff,
                                R"({"transcript":"x","intended":true,"heard_accurately":true,)"
                                R"("responded_appropriately":true})",
                                "application/json");
        if (!done || done->status != 200) review_errors++;
        std::lock_guard<std::mutex> lock(mu);
        leases.push_back({id, reviewers[r].id, from, ctx.clock().NowMs()});
      }
    });
  }

  // A worker killed while the queue is backed up (every worker is mid-job
  // then), and a server killed while forty threads have requests out.
  int64_t queued_when_killed = 0;
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 3));
  queued_when_killed = QueryInt(ctx, "SELECT COUNT(*) FROM deid_jobs WHERE state = 'queued'");
  ::kill(workers[0], SIGKILL);
  ::waitpid(workers[0], nullptr, 0);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds / 6));
  killed_server = 1;
  servers[1]->Kill();
  for (auto& t : threads) t.join();
  for (int w = 1; w < kWorkers; ++w) {
    ::kill(workers[w], SIGTERM);
    ::waitpid(workers[w], nullptr, 0);
  }
  for (int s = 0; s < kServers; ++s) {
    if (s != 1) EXPECT_EQ(servers[s]->Stop(), 0) << servers[s]->Log();
  }

  std::printf(
      "load: %zu recordings acknowledged, %lld ingest requests failed, %zu clips "
      "reviewed, %lld listens heard, %lld review errors, %lld jobs queued at the kill\n",
      acknowledged.size(), static_cast<long long>(ingest_failed.load()), leases.size(),
      static_cast<long long>(listens_heard.load()), static_cast<long long>(review_errors.load()),
      static_cast<long long>(queued_when_killed));
  EXPECT_GE(acknowledged.size(), 100u) << "the load was too light to prove anything";
  EXPECT_GE(leases.size(), 10u) << "too few clips reviewed to prove anything";
  EXPECT_GT(queued_when_killed, 0) << "the killed worker was perhaps idle";

  // Every acknowledged recording is there and opens with the deployment's keys.
  int64_t opened_ok = 0;
  for (const std::string& id : acknowledged) {
    Status st = ctx.db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(auto row, store::QueryOne(tx,
                                                 "SELECT subject_id, blob_name FROM recordings "
                                                 "WHERE id = ?",
                                                 {id}, "recording"));
      ASSIGN_OR_RETURN(std::string key, rights::SubjectKey(tx, ctx, row.Text(0)));
      ASSIGN_OR_RETURN(auto pcm, rights::OpenRecordingAudio(ctx, key, id, row.Text(1)));
      return pcm.samples.empty() ? Corruption("empty", "no audio") : Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << id << ": " << st.ToString();
    opened_ok += st.ok();
  }
  EXPECT_EQ(opened_ok, static_cast<int64_t>(acknowledged.size()));
  // No job published twice: a recording's clips all come from one commit.
  EXPECT_EQ(QueryInt(ctx,
                     "SELECT COUNT(*) FROM (SELECT recording_id FROM clips GROUP BY "
                     "recording_id HAVING COUNT(DISTINCT created_at) > 1) twice"),
            0);
  EXPECT_EQ(QueryInt(ctx,
                     "SELECT COUNT(*) FROM (SELECT recording_id FROM deid_jobs GROUP BY "
                     "recording_id HAVING COUNT(*) > 1) twice"),
            0);
  EXPECT_GT(QueryInt(ctx, "SELECT COUNT(*) FROM deid_jobs WHERE state = 'done'"), 0);
  // No clip leased to two reviewers at once: the reviewers' own record...
  std::map<std::string, std::vector<Lease>> by_task;
  for (const Lease& l : leases) by_task[l.task].push_back(l);
  for (const auto& [task, held] : by_task) {
    for (size_t a = 0; a < held.size(); ++a) {
      for (size_t b = a + 1; b < held.size(); ++b) {
        const bool overlap = held[a].from_ms < held[b].to_ms && held[b].from_ms < held[a].to_ms;
        EXPECT_FALSE(overlap && held[a].reviewer != held[b].reviewer) << "task " << task;
      }
    }
  }
  // ...and the database's: each clip heard under one reviewer's pseudonym,
  // each task annotated once.
  EXPECT_EQ(QueryInt(ctx,
                     "SELECT COUNT(*) FROM (SELECT clip_id FROM listens GROUP BY clip_id "
                     "HAVING COUNT(DISTINCT reviewer_pseudonym) > 1) shared"),
            0);
  EXPECT_EQ(QueryInt(ctx, "SELECT COUNT(*) FROM annotations"),
            QueryInt(ctx, "SELECT COUNT(DISTINCT task_id) FROM annotations"));
  // No listen lost: every audio reply a reviewer got is in the table (a
  // server killed between its commit and its reply may have one more).
  const int64_t listens = QueryInt(ctx, "SELECT COUNT(*) FROM listens");
  EXPECT_GE(listens, listens_heard.load());
  EXPECT_LE(listens, listens_heard.load() + review_errors.load());
  auto chain = audit::Verify(ctx);
  ASSERT_TRUE(chain.ok()) << chain.status().ToString();
  EXPECT_TRUE(chain->ok) << chain->reason;
}

}  // namespace
}  // namespace earshot::testing
