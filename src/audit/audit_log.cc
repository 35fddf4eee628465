#include "audit/audit_log.h"

namespace earshot::audit {

Status Append(store::Tx& tx, Context& ctx, const std::string& actor, const std::string& action,
              const std::string& object, const std::string& details) {
  return tx
      .Exec("INSERT INTO audit_events (at, actor, action, object, details) VALUES (?, ?, ?, ?, ?)",
            {ctx.clock().NowMs(), actor, action, object, details})
      .status();
}

}  // namespace earshot::audit
