#include "app/context.h"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "audit/audit_log.h"
#include "store/migrations.h"
#include "store/open.h"
#include "util/fs.h"

namespace earshot {

Config DefaultConfig(const std::string& data_dir) {
  Config config;
  config.data_dir = data_dir;
  if (const char* db = std::getenv("EARSHOT_DB"); db && *db) config.db_url = db;
  if (const char* blobs = std::getenv("EARSHOT_BLOBS"); blobs && *blobs) config.blobs_url = blobs;
  if (const char* pool = std::getenv("EARSHOT_DB_POOL"); pool && *pool) {
    config.db_pool_size = std::clamp(std::atoi(pool), 2, 1000);
  }
  const char* key_file = std::getenv("EARSHOT_MASTER_KEY_FILE");
  config.master_key_file = key_file && *key_file ? key_file : data_dir + "/master.key";
  const char* anchor = std::getenv("EARSHOT_AUDIT_ANCHOR_FILE");
  config.audit_anchor_file = anchor && *anchor ? anchor : data_dir + "/audit-anchor.log";
  const char* witness = std::getenv("EARSHOT_AUDIT_WITNESS");
  config.audit_witness = witness ? witness : "";
  const char* secure = std::getenv("EARSHOT_SECURE_COOKIES");
  config.secure_cookies = secure && (std::string(secure) == "1" || std::string(secure) == "true");
  if (const char* rate = std::getenv("EARSHOT_INGEST_RATE"); rate && *rate) {
    config.ingest_rate_per_s = std::max(0.0, std::atof(rate));
  }
  const char* proxy = std::getenv("EARSHOT_TRUST_PROXY");
  config.trust_proxy = proxy && (std::string(proxy) == "1" || std::string(proxy) == "true");
  if (const char* n = std::getenv("EARSHOT_LOCKOUT_ADDRESS_FAILURES"); n && *n) {
    config.lockout_address_free_failures = std::max<int64_t>(1, std::atoll(n));
  }
  return config;
}

namespace {

// The check value the deployment keeps, if any (migration 16).
Result<std::optional<std::string>> KeptCheckValue(store::Db& db) {
  std::optional<std::string> check;
  RETURN_IF_ERROR(db.Read([&](store::Tx& tx) -> Status {
    check.reset();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT check_value FROM deployment_key WHERE id = 1"));
    if (!rows.empty()) check = rows[0].Text(0);
    return Status::Ok();
  }));
  return check;
}

// EARSHOT_MASTER_KEY (the key itself, hex) if set, else the key file.
Result<std::unique_ptr<crypto::Keyring>> OpenKeyring(const Config& config, Random& rng,
                                                     bool may_create) {
  if (const char* hex = std::getenv("EARSHOT_MASTER_KEY"); hex && *hex) {
    return crypto::Keyring::FromHex(hex, rng);
  }
  return crypto::Keyring::Open(config.master_key_file, rng, may_create);
}

// Keeps this key's check value if the deployment has none yet (of two
// first processes racing, the first to commit wins), then refuses a key that
// is not the deployment's.
Status CheckKey(store::Db& db, const crypto::Keyring& keys, int64_t now_ms,
                const std::string& key_file) {
  const std::string mine = keys.CheckValue();
  std::string kept;
  RETURN_IF_ERROR(db.Write([&](store::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO deployment_key (id, check_value, created_at) "
                            "VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
                            {mine, now_ms})
                        .status());
    ASSIGN_OR_RETURN(auto row, store::QueryOne(tx, "SELECT check_value FROM deployment_key", {},
                                               "the key check"));
    kept = row.Text(0);
    return Status::Ok();
  }));
  if (kept == mine) return Status::Ok();
  const char* env = std::getenv("EARSHOT_MASTER_KEY");
  const std::string source = env && *env ? "EARSHOT_MASTER_KEY" : key_file;
  return Forbidden("wrong_master_key",
                   "the master key from " + source +
                       " is not the key of this deployment's database: every server and worker "
                       "must use the same key (copy master.key from one of its hosts; "
                       "docs/operations.md, \"The master key\")");
}

}  // namespace

Result<std::unique_ptr<Context>> Context::Open(Config config, Clock* clock, Random* rng) {
  if (config.data_dir.empty())
    return InvalidArgument("no_data_dir", "a data directory is required");
  if (config.master_key_file.empty()) config.master_key_file = config.data_dir + "/master.key";
  if (config.audit_anchor_file.empty())
    config.audit_anchor_file = config.data_dir + "/audit-anchor.log";
  std::unique_ptr<Context> ctx(new Context());
  ctx->config_ = std::move(config);
  if (clock == nullptr) {
    ctx->own_clock_ = std::make_unique<SystemClock>();
    clock = ctx->own_clock_.get();
  }
  if (rng == nullptr) {
    ctx->own_rng_ = std::make_unique<SecureRandom>();
    rng = ctx->own_rng_.get();
  }
  ctx->clock_ = clock;
  ctx->ingest_limiter_ = std::make_unique<RateLimiter>(*clock, ctx->config_.ingest_rate_per_s,
                                                       ctx->config_.ingest_burst);
  ctx->rng_ = rng;
  const std::string& dir = ctx->config_.data_dir;
  RETURN_IF_ERROR(EnsureDir(dir));
  ASSIGN_OR_RETURN(ctx->db_, store::OpenDb(ctx->config_.db_url, dir, ctx->config_.db_pool_size));
  RETURN_IF_ERROR(store::Migrate(*ctx->db_));
  ASSIGN_OR_RETURN(std::optional<std::string> check, KeptCheckValue(*ctx->db_));
  // A new key is made only for a new deployment: a host that joins one
  // must bring the deployment's key.
  ASSIGN_OR_RETURN(ctx->keys_, OpenKeyring(ctx->config_, *rng, /*may_create=*/!check));
  RETURN_IF_ERROR(
      CheckKey(*ctx->db_, *ctx->keys_, ctx->clock_->NowMs(), ctx->config_.master_key_file));
  RETURN_IF_ERROR(audit::ChainUnchainedEvents(*ctx));
  ASSIGN_OR_RETURN(ctx->blobs_, store::OpenBlobStore(ctx->config_.blobs_url, dir, *ctx->db_));
  return ctx;
}

const privacy::watermark::Watermarker& Context::watermarker() {
  std::call_once(watermark_once_, [this] {
    watermarker_ = std::make_unique<privacy::watermark::Watermarker>(keys_->DeriveKey("watermrk"));
  });
  return *watermarker_;
}

}  // namespace earshot
