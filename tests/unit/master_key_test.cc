// Several processes of one deployment share its master key: a host that
// joins with no key, or with another key, refuses to start with a clear
// message, and never writes a new key for a database that has one.
#include <gtest/gtest.h>
#include <sodium.h>
#include <stdlib.h>

#include "support/test_util.h"
#include "util/fs.h"

namespace earshot {
namespace {

using namespace earshot::testing;

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override { first_.Open(1.0); }
  void TearDown() override { ::unsetenv("EARSHOT_MASTER_KEY"); }

  // The first deployment's store, as a second host would name it.
  std::string SharedDbUrl() const {
    const std::string data = first_.dir.path() + "/data";
    return TestPostgresUrl().empty() ? "sqlite://" + data + "/earshot.db" : TestDbUrl(data);
  }

  // A second host's data directory opened on the shared store.
  Result<std::unique_ptr<Context>> OpenSecondHost() {
    Config config = DefaultConfig(second_.path() + "/data");
    config.db_url = SharedDbUrl();
    return Context::Open(config, &clock_);
  }

  std::string FirstKey() { return *ReadFile(first_.dir.path() + "/data/master.key"); }

  Env first_;
  TempDir second_;
  FakeClock clock_{kEpoch};
};

TEST_F(MasterKeyTest, AHostWithoutTheKeyRefusesAndMakesNoKeyOfItsOwn) {
  auto opened = OpenSecondHost();
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().reason(), "master_key_missing");
  EXPECT_NE(opened.status().message().find("copy master.key"), std::string::npos);
  EXPECT_FALSE(FileExists(second_.path() + "/data/master.key"));
}

TEST_F(MasterKeyTest, AHostWithAnotherKeyRefusesToStart) {
  ASSERT_OK(EnsureDir(second_.path() + "/data"));
  std::string other(32, '\0');
  randombytes_buf(other.data(), other.size());
  ASSERT_OK(WriteFileDurable(second_.path() + "/data/master.key", other, 0600));
  auto opened = OpenSecondHost();
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), Code::kForbidden);
  EXPECT_EQ(opened.status().reason(), "wrong_master_key");
  EXPECT_NE(opened.status().message().find(second_.path()), std::string::npos)
      << "names the file it read: " << opened.status().message();
}

TEST_F(MasterKeyTest, TheCopiedKeyFileOrTheKeyInTheEnvironmentJoins) {
  ASSERT_OK(EnsureDir(second_.path() + "/data"));
  ASSERT_OK(WriteFileDurable(second_.path() + "/data/master.key", FirstKey(), 0600));
  auto copied = OpenSecondHost();
  ASSERT_TRUE(copied.ok()) << copied.status().ToString();
  // What the first host sealed, the second opens: the stream's key works.
  auto stream = ingest::AuthenticateStream(**copied, first_.api_key);
  EXPECT_TRUE(stream.ok()) << stream.status().ToString();
  copied->reset();

  ASSERT_OK(RemoveFile(second_.path() + "/data/master.key"));
  const std::string key = FirstKey();
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  ::setenv("EARSHOT_MASTER_KEY", hex, 1);
  auto from_env = OpenSecondHost();
  ASSERT_TRUE(from_env.ok()) << from_env.status().ToString();
  EXPECT_FALSE(FileExists(second_.path() + "/data/master.key")) << "the key is not written out";

  ::setenv("EARSHOT_MASTER_KEY", "not-hex", 1);
  auto bad = OpenSecondHost();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), "bad_master_key");
}

}  // namespace
}  // namespace earshot
