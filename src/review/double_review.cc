#include "review/double_review.h"

#include <algorithm>

#include "app/row_states.h"
#include "crypto/seal.h"
#include "ingest/sampler.h"
#include "util/word_errors.h"

namespace earshot::review {

int64_t ReviewsWanted(Context& ctx, const std::string& stream_id, const std::string& clip_id,
                      double fraction) {
  const double draw = ingest::SampleDraw(ctx.keys().DeriveKey("dblrevew"), stream_id, clip_id);
  return ingest::IsSampled(draw, fraction) ? 2 : 1;
}

Status QueueTask(store::Tx& tx, Context& ctx, const std::string& clip_id, bool adjudication) {
  return tx
      .Exec(
          "INSERT INTO tasks (id, clip_id, state, reviewer_id, lease_until, created_at, "
          "completed_at, adjudication) VALUES (?, ?, ?, NULL, 0, ?, NULL, ?)",
          {NewId(ctx.rng(), "tsk"), clip_id, Sql(TaskState::kQueued), ctx.clock().NowMs(),
           int64_t{adjudication ? 1 : 0}})
      .status();
}

double TranscriptDisagreement(const std::string& a, const std::string& b) {
  const std::vector<std::string> wa = NormalizedWords(a), wb = NormalizedWords(b);
  const size_t longer = std::max(wa.size(), wb.size());
  if (longer == 0) return 0.0;
  return static_cast<double>(WordEditDistance(wa, wb)) / static_cast<double>(longer);
}

bool Disagree(const ReviewAnswers& a, const ReviewAnswers& b, double max_wer) {
  auto differ = [](const std::optional<bool>& x, const std::optional<bool>& y) {
    return x && y && *x != *y;
  };
  return TranscriptDisagreement(a.transcript, b.transcript) > max_wer ||
         differ(a.intended, b.intended) || differ(a.heard_accurately, b.heard_accurately) ||
         differ(a.responded_appropriately, b.responded_appropriately);
}

std::optional<bool> StoredAnswer(const store::Row& row, size_t col) {
  if (row.IsNull(col)) return std::nullopt;
  return row.Int(col) != 0;
}

store::Value AnswerValue(const std::optional<bool>& answer) {
  return answer ? store::Value(int64_t{*answer ? 1 : 0}) : store::Null();
}

Result<Settlement> SettleDisagreement(store::Tx& tx, Context& ctx, const std::string& clip_id,
                                      const std::string& annotation_id,
                                      const std::string& subject_key,
                                      const ReviewAnswers& answers) {
  ASSIGN_OR_RETURN(auto clip, store::QueryOne(tx,
                                              "SELECT c.reviews_wanted, s.disagreement_wer, "
                                              "s.on_disagreement FROM clips c JOIN streams s ON "
                                              "s.id = c.stream_id WHERE c.id = ?",
                                              {clip_id}, "clip"));
  if (clip.Int(0) != 2) return Settlement::kNone;
  ASSIGN_OR_RETURN(auto reviews,
                   tx.Query("SELECT COUNT(*) FROM annotations a JOIN tasks t ON t.id = a.task_id "
                            "WHERE a.clip_id = ? AND t.gold = 0",
                            {clip_id}));
  if (reviews[0].Int(0) != 2) return Settlement::kNone;
  // The review stored before this one.
  ASSIGN_OR_RETURN(auto r, store::QueryOne(tx,
                                           "SELECT a.id, a.transcript_sealed, a.intended, "
                                           "a.heard_accurately, a.responded_appropriately FROM "
                                           "annotations a JOIN tasks t ON t.id = a.task_id "
                                           "WHERE a.clip_id = ? AND a.id <> ? AND t.gold = 0",
                                           {clip_id, annotation_id}, "first review"));
  ASSIGN_OR_RETURN(std::string text,
                   crypto::OpenText(subject_key, r.Text(1), "anntext:" + r.Text(0)));
  const ReviewAnswers other{std::move(text), StoredAnswer(r, 2), StoredAnswer(r, 3),
                            StoredAnswer(r, 4)};
  if (!Disagree(other, answers, clip.Real(1))) return Settlement::kNone;
  RETURN_IF_ERROR(
      tx.Exec("UPDATE clips SET reviews_wanted = ? WHERE id = ?", {kMaxReviewsPerClip, clip_id})
          .status());
  const bool adjudicate = clip.Text(2) == "adjudicate";
  RETURN_IF_ERROR(QueueTask(tx, ctx, clip_id, adjudicate));
  return adjudicate ? Settlement::kAdjudication : Settlement::kThirdReview;
}

}  // namespace earshot::review
