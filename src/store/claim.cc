#include "store/claim.h"

namespace earshot::store {

std::string ForClaim(const Tx& tx, std::string_view alias) {
  if (tx.dialect() != Dialect::kPostgres) return "";
  std::string clause = " FOR UPDATE";
  if (!alias.empty()) {
    clause += " OF ";
    clause += alias;
  }
  return clause + " SKIP LOCKED";
}

Status ClaimedOne(int64_t changed) {
  if (changed == 1) return Status::Ok();
  return Unavailable("claim_lost", "another worker claimed the row first; retry");
}

}  // namespace earshot::store
