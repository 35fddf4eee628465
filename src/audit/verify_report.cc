// audit::Describe: what Verify checked and found, in words an operator or a
// privacy officer can act on.
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "util/encoding.h"

namespace earshot::audit {
namespace {

std::string N(int64_t n) {
  return std::to_string(n);
}

const char* Explain(const std::string& reason) {
  if (reason == "missing") return "no event with this seq: deleted";
  if (reason == "unsealed") return "the event has no hash: blanked, or written around the chain";
  if (reason == "missing_or_reordered")
    return "the link to the event before does not match: events deleted, inserted or reordered";
  if (reason == "edited") return "the event does not match its hash: edited";
  if (reason == "anchor_file_missing")
    return "the anchor file is gone, but heads were anchored in it";
  if (reason == "anchor_malformed") return "a line is not an anchor line: edited or cut short";
  if (reason == "anchor_bad_mac") return "a line's signature does not match: edited or forged";
  if (reason == "anchor_out_of_order")
    return "a line's seq is not above the one before: lines moved or copied";
  if (reason == "anchored_head_replaced")
    return "another event now has the anchored seq: the log was rewritten";
  if (reason == "anchored_head_missing")
    return "the anchored head is not in the intact chain: events deleted or cut off the end";
  if (reason == "anchor_truncated")
    return "heads anchored earlier are not in the file: lines removed from its end";
  return "unknown problem";
}

std::string ChainLine(const VerifyResult& r) {
  const bool walked_to_end = r.broken_at == 0 || r.reason == "head_missing";
  if (!walked_to_end) {
    return "chain: BROKEN at seq " + N(r.broken_at) + " (" + r.reason + ": " + Explain(r.reason) +
           "); " +
           (r.head.events == 0 ? "no event before it"
                               : "the " + N(r.head.events) + " events before it verify");
  }
  if (r.head.events == 0) return "chain: 0 events, intact";
  return "chain: " + N(r.head.events) + " events, seq 1.." + N(r.head.seq) + ", intact";
}

void AddHeadAndState(const VerifyResult& r, std::vector<std::string>& out) {
  if (r.expected_head) {
    out.push_back(r.reason == "head_missing"
                      ? "head " + *r.expected_head +
                            ": NOT in the chain (head_missing: events after it were cut off)"
                      : "head " + *r.expected_head + ": present");
  }
  if (r.reason == "chain_state_missing") {
    out.push_back(
        "chain state: MISSING (chain_state_missing: the database no longer records that the "
        "chain was sealed; its row in audit_chain_state was deleted or cleared)");
  }
}

std::string Summary(const AnchorReport& a) {
  std::string s = N(a.heads) + (a.heads == 1 ? " head in " : " heads in ") + a.path;
  if (a.lines != a.heads) s += " (" + N(a.lines) + " lines)";
  if (a.heads > 0) s += ", last seq " + N(a.last_seq) + " at " + FormatRfc3339(a.last_at_ms);
  return s;
}

void AddAnchor(const AnchorReport& a, std::vector<std::string>& out) {
  if (!a.checked) {
    out.push_back("anchor: not checked");
    return;
  }
  if (a.ok && !a.file_exists) {
    out.push_back("anchor: no head anchored yet (" + a.path + " does not exist)");
  } else if (a.ok) {
    out.push_back("anchor: " + Summary(a) + (a.heads > 0 ? ", all present" : ""));
  } else {
    std::string where;
    if (a.line > 0) where += " at line " + N(a.line);
    if (a.seq > 0) where += (a.line > 0 ? ", seq " : " at seq ") + N(a.seq);
    out.push_back("anchor: FAILED, " + N(a.problems) +
                  (a.problems == 1 ? " problem" : " problems") + "; the first" + where + " (" +
                  a.reason + ": " + Explain(a.reason) + ")");
    out.push_back("anchor: " + (a.file_exists ? Summary(a) : a.path + " does not exist") +
                  "; the database remembers heads up to seq " + N(a.recorded_seq));
  }
  if (a.starts > 1) {
    out.push_back("anchor: the file was started " + N(a.starts) + " times, last at seq " +
                  N(a.last_start_seq) +
                  " (an earlier file was lost, removed, or replaced with --new-file)");
  }
}

}  // namespace

std::vector<std::string> Describe(const VerifyResult& result) {
  std::vector<std::string> out{ChainLine(result)};
  AddHeadAndState(result, out);
  AddAnchor(result.anchor, out);
  out.push_back(result.ok ? "result: ok" : "result: FAILED");
  return out;
}

}  // namespace earshot::audit
