#include "rights/subject_tokens.h"

#include "crypto/seal.h"
#include "rights/subjects.h"
#include "util/encoding.h"

namespace earshot::rights {
namespace {

constexpr const char* kPrefix = "sjt_";

std::string Sign(Context& ctx, const std::string& payload) {
  return crypto::MacHex(ctx.keys().DeriveKey("subjtokn"), payload);
}

}  // namespace

Result<std::string> MintSubjectToken(Context& ctx, const std::string& tenant,
                                     const std::string& account, int64_t ttl_ms) {
  if (account.empty() || account.size() > 256) {
    return InvalidArgument("bad_account", "account must be 1-256 characters");
  }
  if (ttl_ms <= 0) return InvalidArgument("bad_ttl", "ttl must be positive");
  ttl_ms = std::min(ttl_ms, ctx.config().subject_token_max_ttl_ms);
  std::string subject_id;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(subject_id, EnsureSubject(tx, ctx, tenant, account));
    return Status::Ok();
  }));
  const std::string payload = subject_id + "|" + std::to_string(ctx.clock().NowMs() + ttl_ms);
  return kPrefix + Base64Url(payload) + "." + Sign(ctx, payload);
}

Result<std::string> VerifySubjectToken(Context& ctx, const std::string& token) {
  auto bad = [] { return Unauthenticated("bad_subject_token", "the subject token is not valid"); };
  const std::string prefix = kPrefix;
  if (token.size() > 512 || token.compare(0, prefix.size(), prefix) != 0) return bad();
  const size_t dot = token.find('.', prefix.size());
  if (dot == std::string::npos) return bad();
  auto payload = FromBase64Url(std::string_view(token).substr(prefix.size(), dot - prefix.size()));
  if (!payload) return bad();
  if (!crypto::ConstantTimeEquals(Sign(ctx, *payload), token.substr(dot + 1))) return bad();
  const size_t bar = payload->find('|');
  if (bar == std::string::npos) return bad();
  const std::string subject_id = payload->substr(0, bar);
  const int64_t expires = std::strtoll(payload->c_str() + bar + 1, nullptr, 10);
  if (ctx.clock().NowMs() > expires) {
    return Unauthenticated("expired_subject_token", "the subject token has expired");
  }
  Status exists = ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 1 FROM subjects WHERE id = ? AND "
                                         "wrapped_key <> ''",
                                         {subject_id}));
    if (rows.empty()) return Unauthenticated("unknown_subject", "no data is held any more");
    return Status::Ok();
  });
  RETURN_IF_ERROR(exists);
  return subject_id;
}

}  // namespace earshot::rights
