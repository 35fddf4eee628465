#include "review/quality.h"

#include <map>

#include "app/row_states.h"

namespace earshot::review {
namespace {

constexpr int64_t kHourMs = 3'600'000;

std::optional<double> Share(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

Result<QualityReport> QualityOverTime(Context& ctx, int hours) {
  if (hours < 1 || hours > kMaxQualityHours) {
    return InvalidArgument("bad_hours", "hours must be 1-" + std::to_string(kMaxQualityHours));
  }
  QualityReport report;
  const int64_t last = ctx.clock().NowMs() / kHourMs;
  const int64_t first = last - hours + 1;
  for (int64_t h = first; h <= last; ++h) report.hours.push_back(h);
  const size_t n = report.hours.size();
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    report.streams.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto streams, tx.Query("SELECT id, name FROM streams ORDER BY name", {}));
    std::map<std::string, size_t> index;
    for (const auto& row : streams) {
      index[row.Text(0)] = report.streams.size();
      StreamQuality q;
      q.stream = row.Text(1);
      q.wer.assign(n, std::nullopt);
      q.heard_accurately.assign(n, std::nullopt);
      q.responded_appropriately.assign(n, std::nullopt);
      q.accidental_rate.assign(n, std::nullopt);
      q.bleeped_share.assign(n, std::nullopt);
      q.reviewed.assign(n, 0);
      q.queue_depth.assign(n, 0);
      q.consensus_clips.assign(n, 0);
      q.single_review.assign(n, 0);
      report.streams.push_back(std::move(q));
    }
    // Calls set(stream, slot, row) for each row of (stream id, hour, ...) that
    // falls on a known stream and an hour of the report.
    auto per_hour = [&](const auto& rows, const auto& set) {
      for (const auto& r : rows) {
        auto it = index.find(r.Text(0));
        const int64_t slot = r.Int(1) - first;
        if (it == index.end() || slot < 0 || slot >= static_cast<int64_t>(n)) continue;
        set(report.streams[it->second], static_cast<size_t>(slot), r);
      }
    };
    ASSIGN_OR_RETURN(auto annotated,
                     tx.Query("SELECT c.stream_id, a.created_at / 3600000, COUNT(*) FROM "
                              "annotations a JOIN clips c ON c.id = a.clip_id WHERE "
                              "a.created_at >= ? GROUP BY c.stream_id, a.created_at / 3600000",
                              {first * kHourMs}));
    per_hour(annotated,
             [](StreamQuality& q, size_t slot, const auto& r) { q.reviewed[slot] = r.Int(2); });
    ASSIGN_OR_RETURN(
        auto consensus,
        tx.Query("SELECT c.stream_id, k.updated_at / 3600000, COUNT(*), SUM(k.hyp_errors), "
                 "SUM(k.ref_words), SUM(CASE WHEN k.heard_accurately = 1 THEN 1 ELSE 0 END), "
                 "COUNT(k.heard_accurately), "
                 "SUM(CASE WHEN k.responded_appropriately = 1 THEN 1 ELSE 0 END), "
                 "COUNT(k.responded_appropriately), "
                 "SUM(CASE WHEN k.reviews < 2 AND k.adjudicated = 0 THEN 1 ELSE 0 END) "
                 "FROM consensus k JOIN clips c ON c.id = k.clip_id WHERE k.updated_at >= ? "
                 "GROUP BY c.stream_id, k.updated_at / 3600000",
                 {first * kHourMs}));
    per_hour(consensus, [](StreamQuality& q, size_t slot, const auto& r) {
      q.consensus_clips[slot] = r.Int(2);
      q.wer[slot] = Share(r.IsNull(3) ? 0 : r.Int(3), r.IsNull(4) ? 0 : r.Int(4));
      q.heard_accurately[slot] = Share(r.Int(5), r.Int(6));
      q.responded_appropriately[slot] = Share(r.Int(7), r.Int(8));
      q.single_review[slot] = r.Int(9);
    });
    ASSIGN_OR_RETURN(auto received, tx.Query("SELECT stream_id, hour, received, accidental FROM "
                                             "stream_hours WHERE hour >= ?",
                                             {first}));
    per_hour(received, [](StreamQuality& q, size_t slot, const auto& r) {
      q.accidental_rate[slot] = Share(r.Int(3), r.Int(2));
    });
    ASSIGN_OR_RETURN(auto bleeped,
                     tx.Query("SELECT stream_id, created_at / 3600000, SUM(bleeped_ms), "
                              "SUM(duration_ms) FROM clips WHERE created_at >= ? "
                              "GROUP BY stream_id, created_at / 3600000",
                              {first * kHourMs}));
    per_hour(bleeped, [](StreamQuality& q, size_t slot, const auto& r) {
      q.bleeped_share[slot] = Share(r.Int(2), r.Int(3));
    });
    // Queue depth at the end of each hour: tasks created by then and not yet
    // finished (done, withdrawn or erased tasks count until they finished).
    for (size_t i = 0; i < n; ++i) {
      const int64_t end = (report.hours[i] + 1) * kHourMs;
      ASSIGN_OR_RETURN(auto depth,
                       tx.Query("SELECT c.stream_id, COUNT(*) FROM tasks t JOIN clips c ON "
                                "c.id = t.clip_id WHERE t.created_at < ? AND "
                                "((t.completed_at IS NULL AND t.state IN (?, ?)) "
                                "OR t.completed_at >= ?) GROUP BY c.stream_id",
                                {end, Sql(TaskState::kQueued), Sql(TaskState::kLeased), end}));
      for (const auto& r : depth) {
        auto it = index.find(r.Text(0));
        if (it != index.end()) report.streams[it->second].queue_depth[i] = r.Int(1);
      }
    }
    return Status::Ok();
  }));
  return report;
}

Result<std::vector<BleepedShare>> BleepedLastDay(Context& ctx) {
  std::vector<BleepedShare> out;
  const int64_t since = ctx.clock().NowMs() - 24 * kHourMs;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT s.name, SUM(c.bleeped_ms), SUM(c.duration_ms), COUNT(*) "
                              "FROM clips c JOIN streams s ON s.id = c.stream_id "
                              "WHERE c.created_at >= ? GROUP BY s.name ORDER BY s.name",
                              {since}));
    for (const auto& r : rows) {
      out.push_back({r.Text(0), Share(r.Int(1), r.Int(2)).value_or(0.0), r.Int(3)});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace earshot::review
