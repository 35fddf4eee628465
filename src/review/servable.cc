#include "review/servable.h"

#include "app/row_states.h"
#include "rights/subjects.h"

namespace earshot::review {

SqlPart ServableJoins() {
  return {
      " JOIN recordings r ON r.id = c.recording_id AND r.state = ? "
      "JOIN subjects sub ON sub.id = c.subject_id AND sub.wrapped_key <> '' "
      "JOIN streams s ON s.id = c.stream_id "
      "JOIN consents k ON k.subject_id = c.subject_id AND k.purpose = ? AND k.granted = 1 ",
      {Sql(RecordingState::kStored), rights::PurposeName(rights::Purpose::kHumanReview)}};
}

SqlPart ServableConditions(const staff::StaffMember& reviewer, bool relisten_single) {
  return {std::string(" AND c.deidentified = 1 AND c.blob_name IS NOT NULL "
                      "AND s.region NOT IN (SELECT region FROM paused_regions) "
                      "AND NOT EXISTS (SELECT 1 FROM task_skips k2 JOIN tasks t2 ON "
                      "t2.id = k2.task_id WHERE t2.clip_id = c.id AND k2.reviewer_id = ?) "
                      "AND NOT EXISTS (SELECT 1 FROM tasks t3 WHERE t3.clip_id = c.id "
                      "AND t3.reviewer_id = ?) "
                      "AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.clip_id = c.id "
                      "AND a.reviewer_id = ?) AND (") +
              (relisten_single ? "c.reviews_wanted = 1 OR " : "") +
              "NOT EXISTS (SELECT 1 FROM listens l WHERE l.clip_id = c.id AND "
              "l.reviewer_pseudonym = ?)) ",
          {reviewer.id, reviewer.id, reviewer.id, reviewer.pseudonym}};
}

void AppendParams(store::Params& params, const SqlPart& part) {
  params.insert(params.end(), part.params.begin(), part.params.end());
}

}  // namespace earshot::review
