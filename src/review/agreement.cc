#include "review/agreement.h"

#include <algorithm>
#include <limits>
#include <map>

#include "ingest/streams.h"
#include "review/gold.h"

namespace earshot::review {
namespace {

// One double-reviewed clip: the first two reviews' distance and, per
// question, how many independent reviews said yes and no.
struct Unit {
  int64_t day = 0;
  int64_t pair_errors = 0, pair_words = 0;
  std::vector<int64_t> votes[3];  // {yes, no} per question
};

AgreementSlice Summarize(const std::vector<const Unit*>& units, uint64_t seed) {
  AgreementSlice s;
  s.double_reviewed = static_cast<int64_t>(units.size());
  std::vector<std::pair<int64_t, int64_t>> pairs;
  std::vector<std::vector<int64_t>> votes[3];
  for (const Unit* u : units) {
    pairs.emplace_back(u->pair_errors, u->pair_words);
    for (int q = 0; q < 3; ++q) votes[q].push_back(u->votes[q]);
  }
  s.inter_reviewer_wer = RatioInterval(pairs, seed);
  s.alpha.intended = NominalAlphaInterval(votes[0], seed + 1);
  s.alpha.heard_accurately = NominalAlphaInterval(votes[1], seed + 2);
  s.alpha.responded_appropriately = NominalAlphaInterval(votes[2], seed + 3);
  return s;
}

std::optional<double> Share(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

constexpr int64_t kNoEnd = std::numeric_limits<int64_t>::max();

}  // namespace

Result<std::vector<ReviewerAgreement>> ReviewerFigures(store::Tx& tx, const std::string& stream_id,
                                                       int64_t from_ms, int64_t until_ms,
                                                       const std::string& only_reviewer) {
  // Each independent review against the consensus of the clip's other
  // reviews (review/consensus.h): NULL where it had none to compare with.
  std::string sql =
      "SELECT s.pseudonym, COUNT(*), COUNT(a.cons_words), SUM(a.cons_errors), SUM(a.cons_words), "
      "SUM(a.cons_grades_matched), SUM(a.cons_grades_compared) FROM annotations a JOIN tasks t ON "
      "t.id = a.task_id JOIN staff s ON s.id = a.reviewer_id JOIN clips c ON c.id = a.clip_id "
      "WHERE c.stream_id = ? AND a.created_at >= ? AND a.created_at < ? AND t.adjudication = 0 "
      "AND t.gold = 0";
  store::Params params = {stream_id, from_ms, until_ms};
  if (!only_reviewer.empty()) {
    sql += " AND a.reviewer_id = ?";
    params.push_back(only_reviewer);
  }
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql + " GROUP BY s.pseudonym ORDER BY s.pseudonym", params));
  std::vector<ReviewerAgreement> out;
  for (const auto& r : rows) {
    ReviewerAgreement a;
    a.pseudonym = r.Text(0);
    a.reviews = r.Int(1);
    a.compared = r.Int(2);
    a.wer_vs_consensus = Share(r.IsNull(3) ? 0 : r.Int(3), r.IsNull(4) ? 0 : r.Int(4));
    a.grade_agreement = Share(r.IsNull(5) ? 0 : r.Int(5), r.IsNull(6) ? 0 : r.Int(6));
    out.push_back(std::move(a));
  }
  // Gold scores, flagged against every reviewer of the stream.
  std::string only_pseudonym;
  if (!only_reviewer.empty()) {
    ASSIGN_OR_RETURN(auto me,
                     tx.Query("SELECT pseudonym FROM staff WHERE id = ?", {only_reviewer}));
    if (me.empty()) return NotFound("unknown_reviewer", "no such staff member");
    only_pseudonym = me[0].Text(0);
  }
  ASSIGN_OR_RETURN(auto gold, GoldScores(tx, stream_id, from_ms, until_ms));
  for (auto& g : gold) {
    if (!only_pseudonym.empty() && g.pseudonym != only_pseudonym) continue;
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const ReviewerAgreement& a) { return a.pseudonym == g.pseudonym; });
    if (it == out.end()) {
      ReviewerAgreement a;
      a.pseudonym = g.pseudonym;
      it = out.insert(
          std::lower_bound(out.begin(), out.end(), a,
                           [](const auto& x, const auto& y) { return x.pseudonym < y.pseudonym; }),
          std::move(a));
    }
    it->gold_reviews = g.items;
    it->gold_accuracy = g.accuracy;
    it->gold_wer = g.wer;
    it->below_others = g.below_others;
  }
  return out;
}

Result<std::vector<int64_t>> LastDays(Context& ctx, int days, int max_days) {
  if (days < 1 || days > max_days) {
    return InvalidArgument("bad_days", "days must be 1-" + std::to_string(max_days));
  }
  const int64_t last = ctx.clock().NowMs() / kDayMs;
  std::vector<int64_t> out;
  for (int64_t d = last - days + 1; d <= last; ++d) out.push_back(d);
  return out;
}

uint64_t StableSeed(const std::string& what, int64_t slice) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : what + "/" + std::to_string(slice)) h = (h ^ c) * 1099511628211ull;
  return h;
}

Result<AgreementReport> AgreementFor(Context& ctx, const std::string& stream_name, int days) {
  AgreementReport report;
  report.stream = stream_name;
  ASSIGN_OR_RETURN(report.days, LastDays(ctx, days, kMaxAgreementDays));
  const int64_t first = report.days.front();
  std::string stream_id;
  std::map<std::string, Unit> units;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    units.clear();  // a transaction may be re-run (store/db.h)
    report.reviewers.clear();
    ASSIGN_OR_RETURN(ingest::Stream stream, ingest::FindStreamByName(tx, stream_name));
    stream_id = stream.id;
    const store::Params window = {stream_id, first * kDayMs};
    ASSIGN_OR_RETURN(auto clips,
                     tx.Query("SELECT k.clip_id, k.updated_at / 86400000, k.pair_errors, "
                              "k.pair_words FROM consensus k JOIN clips c ON c.id = k.clip_id "
                              "WHERE c.stream_id = ? AND k.reviews >= 2 AND k.updated_at >= ?",
                              window));
    for (const auto& r : clips) {
      Unit& u = units[r.Text(0)];
      u.day = r.Int(1);
      u.pair_errors = r.IsNull(2) ? 0 : r.Int(2);
      u.pair_words = r.IsNull(3) ? 0 : r.Int(3);
      for (auto& v : u.votes) v = {0, 0};
    }
    // Yes and no per question among each clip's independent reviews.
    std::string votes;
    for (const char* q : {"intended", "heard_accurately", "responded_appropriately"}) {
      votes += std::string(", SUM(CASE WHEN a.") + q + " = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN a." +
               q + " = 0 THEN 1 ELSE 0 END)";
    }
    ASSIGN_OR_RETURN(auto answers,
                     tx.Query("SELECT a.clip_id" + votes +
                                  " FROM annotations a JOIN tasks t ON t.id = a.task_id "
                                  "JOIN consensus k ON k.clip_id = a.clip_id JOIN clips c ON "
                                  "c.id = a.clip_id WHERE c.stream_id = ? AND k.reviews >= 2 "
                                  "AND k.updated_at >= ? AND t.adjudication = 0 AND t.gold = 0 "
                                  "GROUP BY a.clip_id",
                              window));
    for (const auto& r : answers) {
      auto it = units.find(r.Text(0));
      if (it == units.end()) continue;
      for (int q = 0; q < 3; ++q) it->second.votes[q] = {r.Int(1 + 2 * q), r.Int(2 + 2 * q)};
    }
    ASSIGN_OR_RETURN(report.reviewers,
                     ReviewerFigures(tx, stream_id, first * kDayMs, kNoEnd, /*only_reviewer=*/""));
    ASSIGN_OR_RETURN(auto count,
                     tx.Query("SELECT COUNT(*) FROM gold_clips WHERE stream_id = ?", {stream_id}));
    report.gold_clips = count[0].Int(0);
    return Status::Ok();
  }));
  std::vector<const Unit*> all;
  std::map<int64_t, std::vector<const Unit*>> by_day;
  for (const auto& [id, u] : units) {
    all.push_back(&u);
    by_day[u.day].push_back(&u);
  }
  for (int64_t d : report.days)
    report.per_day.push_back(Summarize(by_day[d], StableSeed(stream_id, d)));
  report.overall = Summarize(all, StableSeed(stream_id, -days));
  return report;
}

Result<OwnQuality> OwnQualityOf(Context& ctx, const std::string& staff_id, int days) {
  if (days < 1 || days > kMaxAgreementDays) {
    return InvalidArgument("bad_days", "days must be 1-" + std::to_string(kMaxAgreementDays));
  }
  OwnQuality out;
  const int64_t today = ctx.clock().NowMs() / kDayMs;
  out.first_day = today - days;
  out.last_day = today - 1;
  const int64_t from = out.first_day * kDayMs, until = today * kDayMs;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.streams.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(
        auto streams,
        tx.Query("SELECT s.id, s.name FROM streams s WHERE EXISTS (SELECT 1 FROM annotations a "
                 "JOIN clips c ON c.id = a.clip_id WHERE c.stream_id = s.id AND a.reviewer_id = ? "
                 "AND a.created_at >= ? AND a.created_at < ?) OR EXISTS (SELECT 1 FROM "
                 "gold_results g WHERE g.stream_id = s.id AND g.reviewer_id = ? AND g.at >= ? AND "
                 "g.at < ?) ORDER BY s.name",
                 {staff_id, from, until, staff_id, from, until}));
    for (const auto& s : streams) {
      ASSIGN_OR_RETURN(auto figures, ReviewerFigures(tx, s.Text(0), from, until, staff_id));
      // Only adjudications in the window: nothing of theirs to show.
      if (figures.empty()) continue;
      out.streams.push_back({s.Text(1), std::move(figures[0])});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace earshot::review
