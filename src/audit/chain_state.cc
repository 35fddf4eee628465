#include "audit/chain_state.h"

namespace earshot::audit {

Result<ChainState> ReadChainState(store::Tx& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT CASE WHEN sealed_at IS NULL THEN 0 ELSE 1 END, "
                                       "anchored_seq, anchored_at "
                                       "FROM audit_chain_state WHERE id = 1",
                                       {}));
  ChainState state;
  if (rows.empty()) return state;
  state.present = true;
  state.sealed = rows[0].Int(0) != 0;
  state.anchored_seq = rows[0].Int(1);
  state.anchored_at = rows[0].Int(2);
  return state;
}

Status SealChainState(store::Tx& tx, int64_t at_ms, int64_t pre_chain_events) {
  return tx
      .Exec("UPDATE audit_chain_state SET sealed_at = ?, pre_chain_events = ? WHERE id = 1",
            {at_ms, pre_chain_events})
      .status();
}

Status RecordAnchoredHead(store::Tx& tx, int64_t seq, int64_t at_ms) {
  return tx
      .Exec(
          "UPDATE audit_chain_state SET anchored_seq = ?, anchored_at = ? "
          "WHERE id = 1 AND anchored_seq < ?",
          {seq, at_ms, seq})
      .status();
}

Result<int64_t> LastAnchorStart(store::Tx& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT MAX(seq) FROM audit_events WHERE action = ?",
                                       {std::string(kAnchorStartedAction)}));
  return rows.empty() || rows[0].IsNull(0) ? int64_t{0} : rows[0].Int(0);
}

}  // namespace earshot::audit
