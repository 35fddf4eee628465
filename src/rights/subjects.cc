#include "rights/subjects.h"

#include "crypto/seal.h"
#include "review/queue.h"
#include "review/training_export.h"
#include "util/encoding.h"

namespace earshot::rights {
namespace {
std::string AccountMac(Context& ctx, const std::string& tenant, const std::string& account) {
  return crypto::MacHex(ctx.keys().DeriveKey("acctlkup"), tenant + "\n" + account);
}
}  // namespace

Result<std::string> FindSubjectByAccount(store::Tx& tx, Context& ctx, const std::string& tenant,
                                         const std::string& account) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT subject_id FROM vault_accounts WHERE account_mac = ?",
                            {AccountMac(ctx, tenant, account)}));
  if (rows.empty()) return NotFound("unknown_subject", "no data is held for this account");
  return rows[0].Text(0);
}

Result<std::string> EnsureSubject(store::Tx& tx, Context& ctx, const std::string& tenant,
                                  const std::string& account) {
  auto found = FindSubjectByAccount(tx, ctx, tenant, account);
  if (found.ok() || found.status().code() != Code::kNotFound) return found;
  const std::string id = NewId(ctx.rng(), "sub");
  const std::string data_key = ctx.keys().NewDataKey();
  const std::string wrapped = Base64Url(ctx.keys().Wrap(data_key, id));
  RETURN_IF_ERROR(tx.Exec("INSERT INTO subjects (id, tenant, wrapped_key, retention, created_at) "
                          "VALUES (?, ?, ?, NULL, ?)",
                          {id, tenant, wrapped, ctx.clock().NowMs()})
                      .status());
  RETURN_IF_ERROR(
      tx.Exec(
            "INSERT INTO vault_accounts (subject_id, account_mac, account_sealed) VALUES (?, ?, ?)",
            {id, AccountMac(ctx, tenant, account),
             crypto::SealText(data_key, account, "account:" + id, ctx.rng())})
          .status());
  return id;
}

Result<std::string> SubjectKey(store::Tx& tx, Context& ctx, const std::string& subject_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT wrapped_key FROM subjects WHERE id = ?", {subject_id}));
  if (rows.empty() || rows[0].Text(0).empty()) {
    return NotFound("unknown_subject", "the subject does not exist or was erased");
  }
  auto wrapped = FromBase64Url(rows[0].Text(0));
  if (!wrapped) return Corruption("wrapped_key", "stored subject key is malformed");
  return ctx.keys().Unwrap(*wrapped, subject_id);
}

namespace {

// Review and training use kept recordings, so neither can be on while
// storage is off: withdrawing storage withdraws both (each written as its
// own event), and granting either while storage is or becomes off is refused.
Result<std::map<Purpose, bool>> WithStoreDependents(store::Tx& tx, const std::string& subject_id,
                                                    const std::map<Purpose, bool>& changes) {
  std::map<Purpose, bool> out = changes;
  const auto store = changes.find(Purpose::kStore);
  ASSIGN_OR_RETURN(const ConsentState now, CurrentConsents(tx, subject_id));
  const bool store_after = store != changes.end() ? store->second : now.store;
  if (store_after) return out;
  for (const auto& [purpose, held] : {std::pair{Purpose::kHumanReview, now.human_review},
                                      std::pair{Purpose::kTraining, now.training}}) {
    const auto change = changes.find(purpose);
    if (change != changes.end() && change->second) {
      return Conflict("needs_store_consent", std::string(PurposeName(purpose)) +
                                                 " needs the recordings kept: grant store too");
    }
    if (held) out[purpose] = false;
  }
  return out;
}

}  // namespace

Result<int64_t> RecordConsent(store::Tx& tx, Context& ctx, const std::string& subject_id,
                              const std::map<Purpose, bool>& changes,
                              const std::string& policy_version, const std::string& source) {
  using Changes = std::map<Purpose, bool>;
  ASSIGN_OR_RETURN(const Changes effective, WithStoreDependents(tx, subject_id, changes));
  const int64_t now = ctx.clock().NowMs();
  for (const auto& [purpose, granted] : effective) {
    const std::string name = PurposeName(purpose);
    const int64_t g = granted ? 1 : 0;
    RETURN_IF_ERROR(tx.Exec("INSERT INTO consent_events (subject_id, purpose, granted, "
                            "policy_version, source, at) VALUES (?, ?, ?, ?, ?, ?)",
                            {subject_id, name, g, policy_version, source, now})
                        .status());
    RETURN_IF_ERROR(
        tx.Exec("INSERT INTO consents (subject_id, purpose, granted, policy_version, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject_id, purpose) DO UPDATE SET "
                "granted = excluded.granted, policy_version = excluded.policy_version, "
                "updated_at = excluded.updated_at",
                {subject_id, name, g, policy_version, now})
            .status());
  }
  // Training consent withdrawn: earlier exports' utterances of this subject
  // become tombstones (review/training_export.h).
  if (auto training = effective.find(Purpose::kTraining);
      training != effective.end() && !training->second) {
    RETURN_IF_ERROR(
        review::WithdrawFromExports(tx, ctx, review::ExportScope::kSubject, subject_id));
  }
  auto review = effective.find(Purpose::kHumanReview);
  if (review == effective.end() || review->second) return int64_t{0};
  return review::WithdrawReview(tx, ctx, review::WithdrawScope::kSubject, subject_id);
}

Result<ConsentState> CurrentConsents(store::Tx& tx, const std::string& subject_id) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT purpose, granted, policy_version, updated_at "
                                       "FROM consents WHERE subject_id = ?",
                                       {subject_id}));
  ConsentState state;
  for (const auto& row : rows) {
    auto purpose = ParsePurpose(row.Text(0));
    if (!purpose) continue;
    bool granted = row.Int(1) != 0;
    if (*purpose == Purpose::kStore) state.store = granted;
    if (*purpose == Purpose::kHumanReview) state.human_review = granted;
    if (*purpose == Purpose::kTraining) state.training = granted;
    if (row.Int(3) >= state.updated_at) {
      state.updated_at = row.Int(3);
      state.policy_version = row.Text(2);
    }
  }
  return state;
}

Result<bool> ConsentHeldAt(store::Tx& tx, const std::string& subject_id, Purpose purpose,
                           int64_t at_ms) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT granted FROM consent_events WHERE subject_id = ? AND "
                            "purpose = ? AND at <= ? ORDER BY seq DESC LIMIT 1",
                            {subject_id, std::string(PurposeName(purpose)), at_ms}));
  return !rows.empty() && rows[0].Int(0) != 0;
}

}  // namespace earshot::rights
