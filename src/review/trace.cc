#include "review/trace.h"

#include "audit/audit_log.h"

namespace earshot::review {
namespace {

constexpr const char* kListenActions = "('task.listen', 'escalation.listen')";

// The listen `mark` names: its row, or, after an erasure, its audit event.
Result<std::optional<TracedListen>> LookUp(store::Tx& tx, int64_t mark) {
  const std::string details = "mark=" + std::to_string(mark);
  ASSIGN_OR_RETURN(auto events, tx.Query(std::string("SELECT actor, action, object, at FROM "
                                                     "audit_events WHERE details = ? AND "
                                                     "action IN ") +
                                             kListenActions + " ORDER BY seq LIMIT 1",
                                         {details}));
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT l.reviewer_pseudonym, l.purpose, l.at, s.name "
                                       "FROM listens l JOIN clips c ON c.id = l.clip_id JOIN "
                                       "streams s ON s.id = c.stream_id WHERE l.mark = ?",
                                       {mark}));
  if (!rows.empty()) {
    return std::optional(TracedListen{mark, rows[0].Text(0), rows[0].Text(1),
                                      events.empty() ? "" : events[0].Text(2), rows[0].Int(2),
                                      rows[0].Text(3), false});
  }
  if (!events.empty()) {
    const bool review = events[0].Text(1) == "task.listen";
    return std::optional(TracedListen{mark, events[0].Text(0), review ? "review" : "escalation",
                                      events[0].Text(2), events[0].Int(3), "", true});
  }
  return std::optional<TracedListen>();
}

}  // namespace

Result<TraceResult> TraceLeak(Context& ctx, const audio::Pcm16& suspect, const std::string& actor) {
  std::vector<float> samples(suspect.samples.size());
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = suspect.samples[i] / 32768.0f;
  TraceResult out;
  out.detection = ctx.watermarker().Detect(samples);
  std::vector<uint32_t> payloads = out.detection.others;
  if (out.detection.payload) payloads.insert(payloads.begin(), *out.detection.payload);
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    out.listen.reset();  // a transaction may be re-run (store/db.h)
    out.also.clear();
    for (uint32_t payload : payloads) {
      ASSIGN_OR_RETURN(auto listen, LookUp(tx, payload));
      if (!listen) continue;
      if (out.listen) {
        out.also.push_back(*listen);
      } else {
        out.listen = listen;
      }
    }
    std::string what = !out.detection.found ? "none"
                       : payloads.empty()   ? "unreadable"
                       : !out.listen        ? "unknown_mark"
                                            : "mark=" + std::to_string(out.listen->mark);
    for (const auto& l : out.also) what += ",mark=" + std::to_string(l.mark);
    return audit::Append(tx, ctx, actor, "watermark.trace", what,
                         "z=" + std::to_string(out.detection.z));
  }));
  return out;
}

}  // namespace earshot::review
