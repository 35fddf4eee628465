#include "app/context.h"

#include <algorithm>
#include <cstdlib>

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
  ASSIGN_OR_RETURN(ctx->keys_, crypto::Keyring::Open(ctx->config_.master_key_file, *rng));
  ASSIGN_OR_RETURN(ctx->db_,
                   store::OpenDb(ctx->config_.db_url, dir, ctx->config_.db_pool_size));
  RETURN_IF_ERROR(store::Migrate(*ctx->db_));
  RETURN_IF_ERROR(audit::ChainUnchainedEvents(*ctx));
  ASSIGN_OR_RETURN(ctx->blobs_, store::OpenBlobStore(ctx->config_.blobs_url, dir, *ctx->db_));
  return ctx;
}

}  // namespace earshot
