// Attacks on what the data directory keeps (issue 11): blobs a crash left
// without a row must not outlive the sweeps that promise to remove them.
#include <gtest/gtest.h>
#include <sys/time.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "integration/http_fixture.h"

namespace earshot::testing {
namespace {

class StorageAttack : public HttpTest {
 protected:
  std::vector<std::string> ServerArgs() const override { return {"--sweep-interval", "1"}; }

  // A file under blobs/ as a crash (or a careless operator) leaves it,
  // last modified `age_min` minutes ago.
  std::string Plant(const std::string& relative, int age_min) {
    const std::string path = data_dir() + "/blobs/" + relative;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << "sealed bytes nobody references";
    const auto then = std::chrono::system_clock::now() - std::chrono::minutes(age_min);
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(then.time_since_epoch());
    timeval times[2] = {{static_cast<time_t>(secs.count()), 0},
                        {static_cast<time_t>(secs.count()), 0}};
    ::utimes(path.c_str(), times);
    return path;
  }
};

// The docs promised orphans go at the next start; they survived restarts
// within the grace period and every periodic sweep. Now each sweep takes
// those past the grace period, stray names included, and nothing younger.
TEST_F(StorageAttack, Regression11OrphanBlobsGoAtTheNextSweepOnceTheGraceHasPassed) {
  const std::string old_orphan = Plant("q/rec_qorphanfromacrash", 11);
  const std::string stray = Plant("stray file.bin", 30);
  const std::string misplaced = Plant("rec_zmisplacedshard", 30);
  const std::string fresh = Plant("f/rec_finflightwrite", 1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((std::filesystem::exists(old_orphan) || std::filesystem::exists(stray) ||
          std::filesystem::exists(misplaced)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(std::filesystem::exists(old_orphan));
  EXPECT_FALSE(std::filesystem::exists(stray));
  EXPECT_FALSE(std::filesystem::exists(misplaced));
  EXPECT_TRUE(std::filesystem::exists(fresh)) << "an in-flight write is left alone";
  auto health = Client().Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

}  // namespace
}  // namespace earshot::testing
