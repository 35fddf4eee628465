#include "review/consensus.h"

#include "crypto/seal.h"
#include "review/double_review.h"
#include "util/word_errors.h"
#include "util/word_vote.h"

namespace earshot::review {
namespace {

std::string Joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string ConsensusContext(const std::string& clip_id) {
  return "constext:" + clip_id;
}

// How review `i` compares with the consensus of the other reviews of its
// clip (leave-one-out), or nothing when it is the adjudication or no other
// review exists.
struct HeldOut {
  store::Value errors = store::Null(), words = store::Null();
  store::Value grades_matched = store::Null(), grades_compared = store::Null();
};

HeldOut CompareHeldOut(const std::vector<ReviewForConsensus>& reviews, size_t i) {
  HeldOut out;
  if (reviews[i].adjudication || reviews.size() < 2) return out;
  std::vector<ReviewForConsensus> others;
  for (size_t j = 0; j < reviews.size(); ++j) {
    if (j != i) others.push_back(reviews[j]);
  }
  const Consensus c = Consolidate(others);
  const WordErrors we = CountWordErrors(Joined(c.words), reviews[i].transcript);
  out.errors = we.errors;
  out.words = we.reference_words;
  int64_t matched = 0, compared = 0;
  const std::pair<std::optional<bool>, std::optional<bool>> grades[] = {
      {reviews[i].intended, c.intended},
      {reviews[i].heard_accurately, c.heard_accurately},
      {reviews[i].responded_appropriately, c.responded_appropriately}};
  for (const auto& [mine, theirs] : grades) {
    if (!mine || !theirs) continue;
    ++compared;
    if (*mine == *theirs) ++matched;
  }
  out.grades_matched = matched;
  out.grades_compared = compared;
  return out;
}

}  // namespace

Consensus Consolidate(const std::vector<ReviewForConsensus>& reviews) {
  Consensus out;
  for (const auto& r : reviews) {
    if (r.adjudication) {
      // The lead's decision stands for the whole clip.
      out.words = NormalizedWords(r.transcript);
      out.intended = r.intended;
      out.heard_accurately = r.heard_accurately;
      out.responded_appropriately = r.responded_appropriately;
      out.not_speech = r.not_speech;
      out.adjudicated = true;
      break;
    }
  }
  std::vector<std::vector<std::string>> texts;
  std::vector<std::optional<bool>> intended, heard, responded, not_speech;
  for (const auto& r : reviews) {
    if (r.adjudication) continue;
    ++out.reviews;
    texts.push_back(NormalizedWords(r.transcript));
    intended.push_back(r.intended);
    heard.push_back(r.heard_accurately);
    responded.push_back(r.responded_appropriately);
    not_speech.push_back(r.not_speech);
  }
  if (out.adjudicated) return out;
  out.words = ConsensusWords(texts);
  out.intended = MajorityAnswer(intended);
  out.heard_accurately = MajorityAnswer(heard);
  out.responded_appropriately = MajorityAnswer(responded);
  out.not_speech = MajorityAnswer(not_speech).value_or(false);
  return out;
}

Result<std::string> OpenConsensusText(const std::string& subject_key, const std::string& clip_id,
                                      const std::string& sealed) {
  return crypto::OpenText(subject_key, sealed, ConsensusContext(clip_id));
}

Status RebuildConsensus(store::Tx& tx, Context& ctx, const std::string& clip_id,
                        const std::string& subject_key, const std::string& machine_masked) {
  // Precedence: the adjudication, then the reviewer with the better gold
  // accuracy (review/gold.h; smoothed as (correct + 1) / (gold reviews + 2),
  // so a reviewer with none ranks at one half), then the earlier review.
  // Gold reviews are scored against their reference, not voted.
  ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT a.id, a.transcript_sealed, a.intended, a.heard_accurately, "
               "a.responded_appropriately, a.flags, t.adjudication FROM annotations "
               "a JOIN tasks t ON t.id = a.task_id WHERE a.clip_id = ? AND t.gold = 0 "
               "ORDER BY t.adjudication DESC, COALESCE((SELECT (SUM(g.correct) + 1.0) / "
               "(COUNT(*) + 2.0) FROM gold_results g WHERE g.reviewer_id = a.reviewer_id), 0.5) "
               "DESC, a.created_at, a.id",
               {clip_id}));
  if (rows.empty()) {
    return tx.Exec("DELETE FROM consensus WHERE clip_id = ?", {clip_id}).status();
  }
  std::vector<ReviewForConsensus> reviews;
  std::vector<std::string> ids;
  for (const auto& r : rows) {
    ASSIGN_OR_RETURN(std::string text,
                     crypto::OpenText(subject_key, r.Text(1), "anntext:" + r.Text(0)));
    const std::string flags = "," + r.Text(5) + ",";
    reviews.push_back({std::move(text), StoredAnswer(r, 2), StoredAnswer(r, 3), StoredAnswer(r, 4),
                       flags.find(",not_speech,") != std::string::npos, r.Int(6) != 0});
    ids.push_back(r.Text(0));
  }
  const Consensus c = Consolidate(reviews);
  const std::string text = Joined(c.words);
  // Each review against the consensus of the others (their words the
  // reference): a review is never compared with a consensus it helped make,
  // which would flatter whoever wins the ties.
  for (size_t i = 0; i < reviews.size(); ++i) {
    const HeldOut h = CompareHeldOut(reviews, i);
    RETURN_IF_ERROR(tx.Exec("UPDATE annotations SET cons_errors = ?, cons_words = ?, "
                            "cons_grades_matched = ?, cons_grades_compared = ? WHERE id = ?",
                            {h.errors, h.words, h.grades_matched, h.grades_compared, ids[i]})
                        .status());
  }
  // The machine against the consensus, unless it is no speech or empty.
  const WordErrors machine = CountWordErrors(text, machine_masked);
  const bool scored = machine.reference_words > 0 && !c.not_speech;
  // The first two independent reviews against each other.
  store::Value pair_errors = store::Null(), pair_words = store::Null();
  std::vector<const ReviewForConsensus*> independent;
  for (const auto& r : reviews) {
    if (!r.adjudication) independent.push_back(&r);
  }
  if (independent.size() >= 2) {
    const auto a = NormalizedWords(independent[0]->transcript);
    const auto b = NormalizedWords(independent[1]->transcript);
    pair_errors = WordEditDistance(a, b);
    pair_words = static_cast<int64_t>(std::max(a.size(), b.size()));
  }
  RETURN_IF_ERROR(tx.Exec("DELETE FROM consensus WHERE clip_id = ?", {clip_id}).status());
  return tx
      .Exec(
          "INSERT INTO consensus (clip_id, reviews, adjudicated, transcript_sealed, intended, "
          "heard_accurately, responded_appropriately, hyp_errors, ref_words, pair_errors, "
          "pair_words, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {clip_id, c.reviews, int64_t{c.adjudicated ? 1 : 0},
           crypto::SealText(subject_key, text, ConsensusContext(clip_id), ctx.rng()),
           AnswerValue(c.intended), AnswerValue(c.heard_accurately),
           AnswerValue(c.responded_appropriately),
           scored ? store::Value(machine.errors) : store::Null(),
           scored ? store::Value(machine.reference_words) : store::Null(), pair_errors, pair_words,
           ctx.clock().NowMs()})
      .status();
}

}  // namespace earshot::review
