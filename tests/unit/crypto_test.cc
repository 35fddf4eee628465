#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crypto/clip_keys.h"
#include "crypto/keyring.h"
#include "crypto/seal.h"
#include "support/test_util.h"
#include "util/fs.h"

namespace earshot {
namespace {

using testing::TempDir;

TEST(Seal, RoundTripsAndBindsAssociatedData) {
  SecureRandom rng;
  const std::string key(32, 'k');
  const std::string sealed = crypto::Seal(key, "secret audio", "rec:1", rng);
  EXPECT_EQ(sealed.find("secret audio"), std::string::npos);
  auto opened = crypto::Open(key, sealed, "rec:1");
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "secret audio");
  EXPECT_EQ(crypto::Open(key, sealed, "rec:2").status().reason(), "decrypt_failed");
  EXPECT_FALSE(crypto::Open(std::string(32, 'x'), sealed, "rec:1").ok());
  std::string tampered = sealed;
  tampered[tampered.size() / 2] ^= 1;
  EXPECT_FALSE(crypto::Open(key, tampered, "rec:1").ok());
  EXPECT_FALSE(crypto::Open(key, sealed.substr(0, 10), "rec:1").ok());
}

// A clip's envelope: its key opens only under its subject's key and for its
// own id, and its audio only under that key and id (crypto/clip_keys.h).
TEST(ClipKeys, AWrappedKeyAndSealedAudioBelongToOneClipOfOneSubject) {
  SecureRandom rng;
  const std::string subject(32, 's'), clip_key(32, 'c');
  const std::string wrapped = crypto::WrapClipKey(subject, clip_key, "clp_1", rng);
  auto unwrapped = crypto::UnwrapClipKey(subject, wrapped, "clp_1");
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_EQ(*unwrapped, clip_key);
  EXPECT_EQ(crypto::UnwrapClipKey(subject, wrapped, "clp_2").status().reason(), "decrypt_failed");
  EXPECT_FALSE(crypto::UnwrapClipKey(std::string(32, 'o'), wrapped, "clp_1").ok())
      << "another subject's key";
  const std::string sealed = crypto::SealClipAudio(clip_key, "pcm bytes", "clp_1", rng);
  EXPECT_EQ(*crypto::OpenClipAudio(clip_key, sealed, "clp_1"), "pcm bytes");
  EXPECT_FALSE(crypto::OpenClipAudio(clip_key, sealed, "clp_2").ok()) << "moved onto another clip";
  EXPECT_FALSE(crypto::Open(clip_key, sealed, "rec:clp_1").ok()) << "not a recording's context";
}

TEST(Seal, FreshNonceEachTime) {
  SecureRandom rng;
  const std::string key(32, 'k');
  EXPECT_NE(crypto::Seal(key, "same", "ad", rng), crypto::Seal(key, "same", "ad", rng));
}

TEST(Keyring, CreatesMasterKeyWithMode0600AndReloadsIt) {
  TempDir dir;
  SecureRandom rng;
  const std::string path = dir.path() + "/master.key";
  std::string wrapped;
  {
    auto ring = crypto::Keyring::Open(path, rng);
    ASSERT_TRUE(ring.ok()) << ring.status().ToString();
    wrapped = (*ring)->Wrap(std::string(32, 'd'), "sub_1");
  }
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  auto ring = crypto::Keyring::Open(path, rng);
  ASSERT_TRUE(ring.ok());
  auto unwrapped = (*ring)->Unwrap(wrapped, "sub_1");
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_EQ(*unwrapped, std::string(32, 'd'));
  EXPECT_FALSE((*ring)->Unwrap(wrapped, "sub_2").ok())
      << "a wrapped key must be bound to its owner";
}

TEST(Keyring, RefusesWorldReadableOrWrongSizeKeys) {
  TempDir dir;
  SecureRandom rng;
  const std::string path = dir.path() + "/master.key";
  ASSERT_TRUE(crypto::Keyring::Open(path, rng).ok());
  ::chmod(path.c_str(), 0644);
  EXPECT_EQ(crypto::Keyring::Open(path, rng).status().reason(), "master_key_mode");
  ASSERT_TRUE(WriteFileDurable(path, "short", 0600).ok());
  EXPECT_EQ(crypto::Keyring::Open(path, rng).status().reason(), "master_key_size");
}

TEST(Keyring, DifferentMasterKeysCannotUnwrap) {
  TempDir dir;
  SecureRandom rng;
  auto a = crypto::Keyring::Open(dir.path() + "/a.key", rng);
  auto b = crypto::Keyring::Open(dir.path() + "/b.key", rng);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE((*b)->Unwrap((*a)->Wrap(std::string(32, 'd'), "s"), "s").ok());
  EXPECT_NE((*a)->DeriveKey("subjtokn"), (*b)->DeriveKey("subjtokn"));
  EXPECT_NE((*a)->DeriveKey("subjtokn"), (*a)->DeriveKey("acctlkup"));
}

}  // namespace
}  // namespace earshot
