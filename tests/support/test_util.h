// Shared test helpers: temp dirs, contexts on a fake clock, audio fixtures,
// and the "fake de-identification stages" seam (publishing clips as if every
// required stage had passed) that later issues replace with real stages.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/context.h"
#include "audio/pcm.h"
#include "ingest/intake.h"
#include "ingest/streams.h"
#include "pipeline/stages.h"
#include "rights/export.h"
#include "staff/accounts.h"

#define ASSERT_OK(expr)                    \
  do {                                     \
    const ::earshot::Status _s = (expr);   \
    ASSERT_TRUE(_s.ok()) << _s.ToString(); \
  } while (0)
#define EXPECT_OK(expr)                    \
  do {                                     \
    const ::earshot::Status _s = (expr);   \
    EXPECT_TRUE(_s.ok()) << _s.ToString(); \
  } while (0)

namespace earshot::testing {

// True in the sanitizer build (scripts/sanitize.sh), where a process's memory
// is mostly AddressSanitizer's (shadow memory, a quarantine of freed blocks).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// A fresh directory removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The PostgreSQL the test run may use: the URL in EARSHOT_TEST_POSTGRES, or
// in the file EARSHOT_TEST_POSTGRES_FILE names (the postgres label's
// fixture, scripts/with_postgres.sh, writes it); "" for none.
std::string TestPostgresUrl();

// The --db URL of the store on `data_dir`: "" (SQLite inside it) unless the
// run has a PostgreSQL, then that database with a schema of its own named
// from the directory, so that a test's Context, the servers it starts and
// the CLI it runs on one directory all open one store.
std::string TestDbUrl(const std::string& data_dir);

// DefaultConfig(data_dir) with the store of TestDbUrl(data_dir).
Config TestConfig(const std::string& data_dir);

// 2026-01-01T00:00:00Z, where fake clocks start.
constexpr int64_t kEpoch = 1767225600000;

// A data directory opened on a fake clock.
struct Env {
  TempDir dir;
  FakeClock clock{kEpoch};
  std::unique_ptr<Context> ctx;
  ingest::Stream stream;
  std::string api_key;
  bool real_clock = false;  // set before Open to share time with a server process

  // REQUIRES: called once; creates the stream "assistant-en-US" with `rate`.
  void Open(double rate = 1.0, const std::string& region = "US");
};

// A tone-and-noise signal of `ms` at 16 kHz with a fingerprint that is
// unlikely anywhere else (seeded by `seed`).
audio::Pcm16 Signal(int64_t ms, uint32_t seed, int rate = audio::kCanonicalRate);

// Encodes `pcm` with libsndfile in `format` (SF_FORMAT_* major|minor) in memory.
std::string EncodeAs(const audio::Pcm16& pcm, int format);

// The subject id of `account` of the default tenant (a test failure, and
// "", if none is held).
std::string SubjectIdOf(Context& ctx, const std::string& account);

// Creates (if needed) the subject for `account` with the given consents.
void GrantConsent(Context& ctx, const std::string& account, bool store, bool human_review,
                  bool training = false);

ingest::RecordingMetadata Meta(const std::string& account, int64_t captured_at_ms,
                               const std::string& serial = "SERIAL-XYZ-123",
                               const std::string& hypothesis = "");

// Runs the queued de-identification jobs, publishing each recording as one
// clip with `stages` marked passed. Returns the number of tasks queued.
int64_t RunFakeStages(Context& ctx, const pipeline::StageSet& stages);
pipeline::StageSet AllStages();

// A new staff member (not enrolled: no password yet).
staff::StaffMember Member(Context& ctx, const std::string& name, const std::string& role);
staff::StaffMember Reviewer(Context& ctx, const std::string& name);

// A new member, enrolled (password + TOTP as the enrolment HTTP route does)
// and signed in with a recovery code: a live session.
staff::Session SignedIn(Context& ctx, const std::string& name, const std::string& role);

// The first column of the first row of `sql` as an integer (-1 on error),
// e.g. QueryInt(ctx, "SELECT COUNT(*) FROM clips").
int64_t QueryInt(Context& ctx, const std::string& sql,
                 const std::vector<store::Value>& params = {});

// The subject's whole export (rights/export.h) drained into memory.
Result<std::string> ExportToString(Context& ctx, const std::string& subject_id);
// What is left of an export already started, drained into memory.
Result<std::string> ReadRest(rights::ExportStream& stream);

// Every regular file under `dir`, read fully.
std::vector<std::pair<std::string, std::string>> ReadAllFiles(const std::string& dir);

// Row counts of the tables intake writes, and the set of blob files.
std::string StorageFingerprint(Context& ctx, const std::string& data_dir);

}  // namespace earshot::testing
