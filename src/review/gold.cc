#include "review/gold.h"

#include "app/row_states.h"
#include "audit/audit_log.h"
#include "crypto/seal.h"
#include "ingest/streams.h"
#include "review/consensus.h"
#include "review/servable.h"
#include "util/word_errors.h"

namespace earshot::review {
namespace {

std::string GoldContext(const std::string& clip_id) {
  return "goldtext:" + clip_id;
}

}  // namespace

GoldResult ScoreAgainstGold(const ReviewAnswers& reference, const ReviewAnswers& review,
                            double max_wer) {
  GoldResult g;
  const WordErrors we = CountWordErrors(reference.transcript, review.transcript);
  g.word_errors = we.errors;
  g.ref_words = we.reference_words;
  for (auto [ref, got] :
       {std::pair{&reference.intended, &review.intended},
        std::pair{&reference.heard_accurately, &review.heard_accurately},
        std::pair{&reference.responded_appropriately, &review.responded_appropriately}}) {
    if (!*ref) continue;
    ++g.answers_compared;
    if (*got && **got == **ref) ++g.answers_right;
  }
  const bool words_ok = g.ref_words == 0 ? g.word_errors == 0
                                         : static_cast<double>(g.word_errors) <=
                                               max_wer * static_cast<double>(g.ref_words);
  g.correct = words_ok && g.answers_right == g.answers_compared;
  return g;
}

Status MarkGold(store::Tx& tx, Context& ctx, const staff::StaffMember& lead,
                const std::string& clip_id, const std::string& subject_key) {
  auto refuse = [] {
    return Conflict("not_consolidated",
                    "a clip becomes gold once two independent reviews agree on it or a lead "
                    "adjudicated it; submit this review without gold");
  };
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT k.reviews, k.adjudicated, k.transcript_sealed, k.intended, "
                            "k.heard_accurately, k.responded_appropriately, c.stream_id, "
                            "c.reviews_wanted FROM consensus k JOIN clips c ON c.id = k.clip_id "
                            "WHERE k.clip_id = ?",
                            {clip_id}));
  if (rows.empty()) return refuse();
  const store::Row& k = rows[0];
  const bool adjudicated = k.Int(1) != 0;
  // Two reviews that called for a third (reviews_wanted raised above two)
  // are not settled until the third (or the adjudication) is in.
  const bool settled = adjudicated || k.Int(0) >= std::min(k.Int(7), kMaxReviewsPerClip);
  if (!settled || (k.Int(0) < 2 && !adjudicated)) return refuse();
  ASSIGN_OR_RETURN(std::string text, OpenConsensusText(subject_key, clip_id, k.Text(2)));
  const int64_t now = ctx.clock().NowMs();
  ASSIGN_OR_RETURN(auto existing,
                   tx.Query("SELECT id FROM gold_clips WHERE clip_id = ?", {clip_id}));
  // Re-marking keeps the gold clip's id (the console's handle on it).
  const std::string gold_id = existing.empty() ? NewId(ctx.rng(), "gld") : existing[0].Text(0);
  RETURN_IF_ERROR(tx.Exec("DELETE FROM gold_clips WHERE clip_id = ?", {clip_id}).status());
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO gold_clips (id, clip_id, stream_id, transcript_sealed, intended, "
              "heard_accurately, responded_appropriately, marked_by, marked_at) VALUES "
              "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {gold_id, clip_id, k.Text(6),
               crypto::SealText(subject_key, text, GoldContext(clip_id), ctx.rng()),
               AnswerValue(StoredAnswer(k, 3)), AnswerValue(StoredAnswer(k, 4)),
               AnswerValue(StoredAnswer(k, 5)), lead.pseudonym, now})
          .status());
  return audit::Append(tx, ctx, lead.pseudonym, "gold.mark", gold_id);
}

Result<std::optional<std::string>> LeaseGoldTask(store::Tx& tx, Context& ctx,
                                                 const staff::StaffMember& reviewer,
                                                 const std::string& stream_id, double gold_share,
                                                 int64_t lease_until) {
  if (!(UniformDraw(ctx.rng()) < gold_share)) return std::optional<std::string>();
  const SqlPart joins = ServableJoins();
  const SqlPart where = ServableConditions(reviewer, /*relisten_single=*/false);
  store::Params params;
  AppendParams(params, joins);
  params.push_back(stream_id);
  AppendParams(params, where);
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT g.clip_id FROM gold_clips g JOIN clips c ON c.id = g.clip_id" +
                                joins.sql + "WHERE g.stream_id = ?" + where.sql +
                                "ORDER BY (SELECT COUNT(*) FROM tasks t4 WHERE t4.clip_id = "
                                "g.clip_id AND t4.gold = 1), g.marked_at, g.id LIMIT 1",
                            params));
  if (rows.empty()) return std::optional<std::string>();
  const std::string task_id = NewId(ctx.rng(), "tsk");
  RETURN_IF_ERROR(
      tx.Exec("INSERT INTO tasks (id, clip_id, state, reviewer_id, lease_until, created_at, "
              "completed_at, adjudication, gold) VALUES (?, ?, ?, ?, ?, ?, NULL, 0, 1)",
              {task_id, rows[0].Text(0), Sql(TaskState::kLeased), reviewer.id, lease_until,
               ctx.clock().NowMs()})
          .status());
  return std::optional<std::string>(task_id);
}

Status ScoreGoldTask(store::Tx& tx, Context& ctx, const std::string& task_id,
                     const std::string& clip_id, const std::string& reviewer_id,
                     const std::string& subject_key, const ReviewAnswers& answers) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT g.transcript_sealed, g.intended, g.heard_accurately, "
                            "g.responded_appropriately, g.stream_id, s.disagreement_wer FROM "
                            "gold_clips g JOIN streams s ON s.id = g.stream_id WHERE g.clip_id = ?",
                            {clip_id}));
  if (rows.empty()) return Status::Ok();
  const store::Row& g = rows[0];
  ASSIGN_OR_RETURN(std::string text,
                   crypto::OpenText(subject_key, g.Text(0), GoldContext(clip_id)));
  const ReviewAnswers reference{std::move(text), StoredAnswer(g, 1), StoredAnswer(g, 2),
                                StoredAnswer(g, 3)};
  const GoldResult r = ScoreAgainstGold(reference, answers, g.Real(5));
  return tx
      .Exec(
          "INSERT INTO gold_results (task_id, clip_id, stream_id, reviewer_id, word_errors, "
          "ref_words, answers_right, answers_compared, correct, at) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {task_id, clip_id, g.Text(4), reviewer_id, r.word_errors, r.ref_words, r.answers_right,
           r.answers_compared, int64_t{r.correct ? 1 : 0}, ctx.clock().NowMs()})
      .status();
}

void FlagGoldOutliers(std::vector<ReviewerGold>& scores) {
  int64_t all_items = 0, all_correct = 0;
  for (const auto& s : scores) all_items += s.items, all_correct += s.correct;
  for (auto& s : scores) {
    const int64_t other_items = all_items - s.items;
    s.below_others = false;
    if (s.items < kMinGoldForFlag || other_items < kMinGoldForFlag || !s.accuracy) continue;
    const double others = static_cast<double>(all_correct - s.correct) / other_items;
    s.below_others = s.accuracy->high < others;
  }
}

Result<std::vector<ReviewerGold>> GoldScores(store::Tx& tx, const std::string& stream_id,
                                             int64_t from_ms, int64_t until_ms) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT s.pseudonym, COUNT(*), SUM(g.correct), SUM(g.word_errors), "
                            "SUM(g.ref_words) FROM gold_results g JOIN staff s ON "
                            "s.id = g.reviewer_id WHERE g.stream_id = ? AND g.at >= ? "
                            "AND g.at < ? GROUP BY s.pseudonym ORDER BY s.pseudonym",
                            {stream_id, from_ms, until_ms}));
  std::vector<ReviewerGold> out;
  for (const auto& r : rows) {
    ReviewerGold g;
    g.pseudonym = r.Text(0);
    g.items = r.Int(1);
    g.correct = r.Int(2);
    g.accuracy = WilsonInterval(g.correct, g.items);
    if (r.Int(4) > 0) g.wer = static_cast<double>(r.Int(3)) / static_cast<double>(r.Int(4));
    out.push_back(std::move(g));
  }
  FlagGoldOutliers(out);
  return out;
}

Result<std::vector<GoldClip>> ListGold(Context& ctx, const std::string& stream_name) {
  std::vector<GoldClip> out;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    out.clear();  // a transaction may be re-run (store/db.h)
    ASSIGN_OR_RETURN(ingest::Stream stream, ingest::FindStreamByName(tx, stream_name));
    ASSIGN_OR_RETURN(
        auto rows,
        tx.Query("SELECT g.id, g.marked_by, g.marked_at, (SELECT COUNT(*) FROM tasks t WHERE "
                 "t.clip_id = g.clip_id AND t.gold = 1), (SELECT COUNT(*) FROM gold_results r "
                 "WHERE r.clip_id = g.clip_id), (SELECT COUNT(*) FROM gold_results r WHERE "
                 "r.clip_id = g.clip_id AND r.correct = 1) FROM gold_clips g WHERE "
                 "g.stream_id = ? ORDER BY g.marked_at, g.id",
                 {stream.id}));
    for (const auto& r : rows) {
      out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5)});
    }
    return Status::Ok();
  }));
  return out;
}

Status UnmarkGold(Context& ctx, const staff::StaffMember& lead, const std::string& gold_id) {
  return ctx.db().Write([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT clip_id FROM gold_clips WHERE id = ?", {gold_id}));
    if (rows.empty()) return NotFound("no_such_gold", "no such gold clip");
    RETURN_IF_ERROR(tx.Exec("UPDATE tasks SET state = ?, completed_at = ? WHERE clip_id = ? AND "
                            "gold = 1 AND state IN (?, ?)",
                            {Sql(TaskState::kWithdrawn), ctx.clock().NowMs(), rows[0].Text(0),
                             Sql(TaskState::kQueued), Sql(TaskState::kLeased)})
                        .status());
    RETURN_IF_ERROR(tx.Exec("DELETE FROM gold_clips WHERE id = ?", {gold_id}).status());
    return audit::Append(tx, ctx, lead.pseudonym, "gold.unmark", gold_id);
  });
}

}  // namespace earshot::review
