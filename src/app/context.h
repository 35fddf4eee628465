// The composition root: one data directory opened with its database, blob
// store, keyring, clock, randomness and metrics. Domain services take a
// Context& and reach storage only through it. Thread-safe after Open.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "crypto/keyring.h"
#include "privacy/watermark/watermark.h"
#include "store/blob_store.h"
#include "store/db.h"
#include "util/clock.h"
#include "util/metrics.h"
#include "util/random.h"
#include "util/rate_limiter.h"

namespace earshot {

// Embedded defaults; each can be overridden by a flag or environment variable
// (see docs/operations.md).
struct Config {
  std::string data_dir;
  // Where rows and sealed blobs live (store/open.h): "" is the embedded
  // default, SQLite in <data_dir>/earshot.db and files in <data_dir>/blobs.
  // `--db`, env EARSHOT_DB; `--blobs`, env EARSHOT_BLOBS.
  std::string db_url;
  std::string blobs_url;
  // PostgreSQL connections per process unless the URL says pool=N; env
  // EARSHOT_DB_POOL. Size it to http_threads plus two (each process has a pool of its own).
  int db_pool_size = 20;
  std::string master_key_file;        // default: <data_dir>/master.key; env EARSHOT_MASTER_KEY_FILE
  int64_t max_body_bytes = 20 << 20;  // HTTP request body limit
  // The HTTP server (http/server.h, docs/performance.md "Slow clients"):
  // threads that run handlers (connections are served by one event loop and
  // hold no thread), the most connections open at once, and per client
  // address (0: no cap; off with trust_proxy, where every connection comes
  // from the proxy), the memory one connection may use for its request's
  // headers and read buffer (larger headers get 431), and how long a silent
  // or idle keep-alive connection is kept.
  int http_threads = 16;
  int http_max_connections = 4000;
  int http_per_ip_connections = 256;
  int64_t http_connection_memory_bytes = 32 << 10;
  int http_read_timeout_s = 30;
  int64_t max_recording_ms = 30'000;        // longer uploads are rejected
  int64_t lease_ms = 5 * 60'000;            // review task lease
  int64_t clip_retention_days = 30;         // clips deleted this long after review ends
  int64_t escalation_sla_ms = 60 * 60'000;  // a distress case is due within an hour
  int64_t shift_ms = 8 * 60 * 60'000;       // the window workload caps count in
  int64_t shift_clip_cap = 600;             // clips a reviewer may review per shift
  int64_t shift_distress_cap = 5;           // distress-flagged clips per shift
  int64_t break_ms = 15 * 60'000;           // a break offered after a distress flag
  int64_t max_plays_per_task = 5;           // plays of one clip by its reviewer
  // A byte range that does not start at byte 0 continues a play only this
  // long after the play started (review/plays.h).
  int64_t play_live_ms = 2 * 60'000;
  // Served over TLS (e.g. behind a TLS proxy): the session cookie gets
  // Secure and the __Host- prefix. Env EARSHOT_SECURE_COOKIES=1.
  bool secure_cookies = false;
  // Behind a proxy that appends the client's address to X-Forwarded-For:
  // that address counts for the per-address lockout. Env EARSHOT_TRUST_PROXY=1.
  bool trust_proxy = false;
  // Failed sign-ins from one address before it is locked out (staff/accounts.h):
  // much higher than for one account, as a vendor's office may share one
  // address behind NAT. Env EARSHOT_LOCKOUT_ADDRESS_FAILURES.
  int64_t lockout_address_free_failures = 100;
  int64_t subject_token_ttl_ms = 3600'000;
  int64_t subject_token_max_ttl_ms = 24 * 3600'000;
  // Recordings one stream's API key may send: a sustained rate and a burst
  // (a leaked or runaway key cannot flood intake); 429 past it. Per server
  // process. Env EARSHOT_INGEST_RATE (per second; 0: no limit).
  double ingest_rate_per_s = 50;
  double ingest_burst = 200;
  // The audit chain's heads, anchored outside the database (audit/anchor.h).
  // Default: <data_dir>/audit-anchor.log; env EARSHOT_AUDIT_ANCHOR_FILE.
  std::string audit_anchor_file;
  // A command (run with sh -c) given each newly anchored head line on stdin,
  // e.g. to send it to another host; env EARSHOT_AUDIT_WITNESS. Empty: none.
  std::string audit_witness;
  int64_t audit_witness_timeout_ms = 10'000;  // then the witness is killed
};

class Context {
 public:
  // Opens `config.data_dir` (creating it, mode 0700), the master key, the
  // database `config.db_url` names (migrated) and the blob store of
  // `config.blobs_url`. `clock` and `rng`
  // default to the system clock and libsodium's CSPRNG; if given, they must
  // outlive the Context.
  static Result<std::unique_ptr<Context>> Open(Config config, Clock* clock = nullptr,
                                               Random* rng = nullptr);

  const Config& config() const { return config_; }
  // Tests change limits (caps, windows) after opening. Not thread-safe.
  Config& MutableConfigForTest() { return config_; }
  store::Db& db() { return *db_; }
  store::BlobStore& blobs() { return *blobs_; }
  const crypto::Keyring& keys() const { return *keys_; }
  Clock& clock() { return *clock_; }
  Random& rng() { return *rng_; }
  Metrics& metrics() { return metrics_; }
  // Per stream: Config::ingest_rate_per_s and ingest_burst.
  RateLimiter& ingest_limiter() { return *ingest_limiter_; }
  // The deployment's forensic watermark (privacy/watermark/watermark.h),
  // keyed by a key derived from the master key, so another deployment's
  // marks are not this one's. Built on first use; thread-safe.
  const privacy::watermark::Watermarker& watermarker();

  // Wraps the database in a test decorator (tests/support/replaying_db.h).
  void WrapDbForTest(
      const std::function<std::unique_ptr<store::Db>(std::unique_ptr<store::Db>)>& wrap) {
    db_ = wrap(std::move(db_));
  }
  // Replaces the blob store (tests inject faults here).
  void SetBlobStoreForTest(std::unique_ptr<store::BlobStore> blobs) { blobs_ = std::move(blobs); }

 private:
  Context() = default;
  Config config_;
  std::unique_ptr<SystemClock> own_clock_;
  std::unique_ptr<SecureRandom> own_rng_;
  Clock* clock_ = nullptr;
  Random* rng_ = nullptr;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<store::BlobStore> blobs_;
  std::unique_ptr<crypto::Keyring> keys_;
  Metrics metrics_;
  std::unique_ptr<RateLimiter> ingest_limiter_;
  std::once_flag watermark_once_;
  std::unique_ptr<privacy::watermark::Watermarker> watermarker_;
};

// Config with defaults for `data_dir`, honouring the environment variables
// named above (EARSHOT_MASTER_KEY_FILE, EARSHOT_AUDIT_ANCHOR_FILE, ...).
Config DefaultConfig(const std::string& data_dir);

}  // namespace earshot
