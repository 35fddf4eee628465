// Subjects (people recorded) and their consents. A subject has an internal
// random id; the upstream account id lives only in vault_accounts, sealed under
// the subject's data key and found through a keyed MAC. All functions run
// inside a caller's transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "app/context.h"
#include "store/db.h"
#include "util/enum_names.h"

namespace earshot::rights {

// What a person consents to; stored as its text in consents.purpose and
// consent_events, and named so in the API.
enum class Purpose { kStore, kHumanReview, kTraining };
inline constexpr EnumName<Purpose> kPurposes[] = {{Purpose::kStore, "store"},
                                                  {Purpose::kHumanReview, "human_review"},
                                                  {Purpose::kTraining, "training"}};
constexpr const char* PurposeName(Purpose p) {
  return NameIn(kPurposes, p);
}
constexpr std::optional<Purpose> ParsePurpose(std::string_view name) {
  return ParseIn(kPurposes, name);
}

struct ConsentState {
  bool store = false;
  bool human_review = false;
  bool training = false;
  std::string policy_version;  // of the latest change; empty if none yet
  int64_t updated_at = 0;
};

// Accounts are scoped by tenant (the product that owns them): the same
// account id in two tenants is two different people. Streams name their
// tenant; one product's stream key never reaches another product's subjects.
constexpr const char* kDefaultTenant = "default";

// The subject id for `account` of `tenant`, or NotFound("unknown_subject").
Result<std::string> FindSubjectByAccount(store::Tx& tx, Context& ctx, const std::string& tenant,
                                         const std::string& account);

// The subject id for `account` of `tenant`, creating the subject (with a
// fresh wrapped data key and no consents) if needed.
Result<std::string> EnsureSubject(store::Tx& tx, Context& ctx, const std::string& tenant,
                                  const std::string& account);

// The subject's unwrapped data key. NotFound("unknown_subject") once erased.
Result<std::string> SubjectKey(store::Tx& tx, Context& ctx, const std::string& subject_id);

// Appends one consent event per purpose in `changes` (full history kept) and
// updates the current state. Revoking human_review withdraws the subject's
// queued and leased review tasks in the same transaction. human_review and
// training depend on store: withdrawing store withdraws them too (one event
// each), and granting either while store is or becomes off is
// Conflict("needs_store_consent"), with nothing written. Returns the number
// of tasks withdrawn, for the caller to count once its transaction commits
// (a retried callback must not count twice).
Result<int64_t> RecordConsent(store::Tx& tx, Context& ctx, const std::string& subject_id,
                              const std::map<Purpose, bool>& changes,
                              const std::string& policy_version, const std::string& source);

Result<ConsentState> CurrentConsents(store::Tx& tx, const std::string& subject_id);

// Whether `purpose` was granted at time `at_ms`, by the event history.
Result<bool> ConsentHeldAt(store::Tx& tx, const std::string& subject_id, Purpose purpose,
                           int64_t at_ms);

}  // namespace earshot::rights
