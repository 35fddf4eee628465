#include "review/trace.h"

#include "audit/audit_log.h"

namespace earshot::review {
namespace {

constexpr const char* kListenActions = "('task.listen', 'escalation.listen')";

}  // namespace

Result<TraceResult> TraceLeak(Context& ctx, const audio::Pcm16& suspect, const std::string& actor) {
  std::vector<float> samples(suspect.samples.size());
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = suspect.samples[i] / 32768.0f;
  TraceResult out;
  out.detection = ctx.watermarker().Detect(samples);
  const std::optional<uint32_t> payload = out.detection.payload;
  RETURN_IF_ERROR(ctx.db().Write([&](store::Tx& tx) -> Status {
    out.listen.reset();  // a transaction may be re-run (store/db.h)
    if (payload) {
      const int64_t mark = *payload;
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
        out.listen = TracedListen{mark,
                                  rows[0].Text(0),
                                  rows[0].Text(1),
                                  events.empty() ? "" : events[0].Text(2),
                                  rows[0].Int(2),
                                  rows[0].Text(3),
                                  false};
      } else if (!events.empty()) {
        const bool review = events[0].Text(1) == "task.listen";
        out.listen = TracedListen{mark,
                                  events[0].Text(0),
                                  review ? "review" : "escalation",
                                  events[0].Text(2),
                                  events[0].Int(3),
                                  "",
                                  true};
      }
    }
    std::string what = !out.detection.found ? "none"
                       : !payload           ? "unreadable"
                       : out.listen         ? "mark=" + std::to_string(out.listen->mark)
                                            : "unknown_mark";
    return audit::Append(tx, ctx, actor, "watermark.trace", what,
                         "z=" + std::to_string(out.detection.z));
  }));
  return out;
}

}  // namespace earshot::review
