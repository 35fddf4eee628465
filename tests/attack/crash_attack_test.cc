// Crash safety: kill -9 the server during 20 concurrent ingests, restart it;
// every recording acknowledged with 201 is intact and decrypts, and there are
// no orphan blobs or rows.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "integration/http_fixture.h"

namespace earshot::testing {
namespace {

using nlohmann::json;

class CrashTest : public HttpTest {};

TEST_F(CrashTest, KillNineDuringConcurrentIngestLosesNothingAcknowledged) {
  const std::string account = "acct-crash";
  PutConsent(account, true, true);
  std::mutex mu;
  std::map<std::string, uint32_t> acked;  // recording id -> signal seed
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (uint32_t t = 0; t < 20; ++t) {
    clients.emplace_back([&, t] {
      for (uint32_t i = 0; !stop && i < 50; ++i) {
        const uint32_t seed = t * 1000 + i;
        auto res = PostRecording(env_.api_key,
                                 EncodeAs(Signal(2000, seed), SF_FORMAT_WAV | SF_FORMAT_PCM_16),
                                 MetadataJson(account, "SN", "2026-11-21T10:00:00Z"));
        if (!res) return;  // the server died under us
        if (res->status == 201) {
          std::lock_guard<std::mutex> lock(mu);
          acked[json::parse(res->body)["id"].get<std::string>()] = seed;
        }
      }
    });
  }
  for (int waited = 0; waited < 600; ++waited) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (acked.size() >= 30) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  server_->Kill();
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_GE(acked.size(), 10u) << "the server was killed before enough ingests";

  server_ = std::make_unique<ServerProcess>(data_dir());
  ASSERT_TRUE(server_->Start()) << server_->Log();
  const std::string token = SubjectToken(account);
  for (const auto& [id, seed] : acked) {
    auto res = Client().Get("/api/v1/me/recordings/" + id + "/audio", Bearer(token));
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << id << ": " << res->body;
    const audio::Pcm16 expected = Signal(2000, seed);
    ASSERT_EQ(res->body.size(), 44 + expected.samples.size() * 2);
    EXPECT_EQ(res->body.substr(44), audio::PcmBytes(expected)) << "audio of " << id << " changed";
  }
  // Every row's blob exists (no orphan rows). Blobs of requests cut off
  // before their commit have no row; once older than the grace period they
  // are swept. File times are moved back to stand for the wait.
  auto list_files = [&] {
    std::set<std::string> files;
    for (const auto& e : std::filesystem::recursive_directory_iterator(data_dir() + "/blobs")) {
      if (e.is_regular_file()) files.insert(e.path().filename().string());
    }
    return files;
  };
  std::set<std::string> rows;
  ASSERT_OK(env_.ctx->db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto recs, tx.Query("SELECT blob_name FROM recordings", {}));
    for (const auto& r : recs) rows.insert(r.Text(0));
    return Status::Ok();
  }));
  const std::set<std::string> before_sweep = list_files();
  for (const auto& name : rows) EXPECT_TRUE(before_sweep.count(name)) << name << " lost its blob";
  server_->Stop();
  for (const auto& e : std::filesystem::recursive_directory_iterator(data_dir() + "/blobs")) {
    if (e.is_regular_file()) {
      std::filesystem::last_write_time(
          e.path(), std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
    }
  }
  server_ = std::make_unique<ServerProcess>(data_dir());
  ASSERT_TRUE(server_->Start()) << server_->Log();
  EXPECT_EQ(list_files(), rows) << "orphan blobs remain after the start-up sweep";
  for (const auto& [id, seed] : acked) EXPECT_TRUE(rows.count(id)) << id;
}

}  // namespace
}  // namespace earshot::testing
