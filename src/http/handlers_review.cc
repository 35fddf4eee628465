// Handlers for reviewers. Responses carry only what DESIGN.md invariant 3
// allows: random task ids, clip length, masked hypothesis, stream name.
#include <cmath>

#include "audio/peaks.h"
#include "http/routes.h"
#include "review/queue.h"
#include "review/workload.h"

namespace earshot::http {

using nlohmann::json;

namespace {

json AnswerJson(const std::optional<bool>& a) {
  return a ? json(*a) : json(review::kCantTell);
}

json TaskJson(const review::LeasedTask& t, int64_t now_ms) {
  json out = {{"id", t.task_id},
              {"stream", t.stream_name},
              {"duration_ms", t.duration_ms},
              {"masked_hypothesis", t.masked_hypothesis},
              {"lease_expires_in_s", (t.lease_expires_at_ms - now_ms) / 1000},
              {"audio_url", "/api/v1/review/tasks/" + t.task_id + "/audio"},
              {"adjudication", t.adjudication}};
  // Only an adjudication shows other reviews (to the lead who leased it).
  if (t.adjudication) {
    json reviews = json::array();
    for (const auto& r : t.reviews) {
      reviews.push_back({{"transcript", r.transcript},
                         {"intended", AnswerJson(r.intended)},
                         {"heard_accurately", AnswerJson(r.heard_accurately)},
                         {"responded_appropriately", AnswerJson(r.responded_appropriately)}});
    }
    out["reviews"] = reviews;
  }
  return out;
}

Result<Reply> LeaseReply(Call& c, review::LeaseKind kind) {
  ASSIGN_OR_RETURN(auto task, review::LeaseNext(c.ctx, *c.caller.staff, kind));
  if (!task.has_value()) {
    Reply nothing = JsonReply(200, {{"task", nullptr}});
    nothing.routine = true;
    return nothing;
  }
  return JsonReply(200, {{"task", TaskJson(*task, c.ctx.clock().NowMs())}});
}

}  // namespace

Result<Reply> post_review_next(Call& c) {
  return LeaseReply(c, review::LeaseKind::kReview);
}

Result<Reply> post_review_adjudicate_next(Call& c) {
  return LeaseReply(c, review::LeaseKind::kAdjudication);
}

Result<Reply> post_review_task_renew(Call& c) {
  ASSIGN_OR_RETURN(auto until, review::RenewLease(c.ctx, *c.caller.staff, c.Param(1)));
  Reply renewed = JsonReply(200, {{"lease_expires_in_s", (until - c.ctx.clock().NowMs()) / 1000}});
  renewed.routine = true;
  return renewed;
}

Result<Reply> get_review_leases(Call& c) {
  ASSIGN_OR_RETURN(auto tasks, review::ListLeases(c.ctx, *c.caller.staff));
  json out = json::array();
  for (const auto& t : tasks) out.push_back(TaskJson(t, c.ctx.clock().NowMs()));
  return JsonReply(200, {{"tasks", out}});
}

Result<Reply> get_review_task_audio(Call& c) {
  Reply bad_range;
  const auto range = AudioRange(c.req.Header("Range"), &bad_range);
  if (bad_range.status != 200) return bad_range;
  // Every byte belongs to a counted play (review/plays.h).
  ASSIGN_OR_RETURN(auto slice, review::TaskAudio(c.ctx, *c.caller.staff, c.Param(1), range));
  return AudioReply(std::move(slice));
}

Result<Reply> get_review_task_peaks(Call& c) {
  ASSIGN_OR_RETURN(auto buckets,
                   IntParam(c.req, "n", 600, 1, audio::kMaxPeakBuckets, "bad_buckets"));
  ASSIGN_OR_RETURN(auto outline, review::TaskPeaks(c.ctx, *c.caller.staff, c.Param(1), buckets));
  json rounded = json::array();
  for (float p : outline.peaks) rounded.push_back(std::round(p * 1000.0f) / 1000.0f);
  json bleeps = json::array();
  for (const auto& [a, b] : outline.bleeps) bleeps.push_back({a, b});
  Reply r = JsonReply(
      200, {{"peaks", rounded}, {"bleeps", bleeps}, {"duration_ms", outline.duration_ms}});
  r.headers["Cache-Control"] = "no-store";
  return r;
}

json ShiftJson(const review::ShiftStatus& s, int64_t now_ms) {
  return {{"done", s.done},
          {"cap", s.cap},
          {"distress_heard", s.distress},
          {"distress_cap", s.distress_cap},
          {"on_break_for_s", s.break_until_ms > now_ms ? (s.break_until_ms - now_ms) / 1000 : 0}};
}

Result<Reply> post_review_task_annotation(Call& c) {
  ASSIGN_OR_RETURN(auto input, review::ParseAnnotation(c.req.body));
  RETURN_IF_ERROR(review::Annotate(c.ctx, *c.caller.staff, c.Param(1), input));
  ASSIGN_OR_RETURN(auto shift, review::GetShift(c.ctx, *c.caller.staff));
  // After a distress flag the reviewer is offered a break (POST /review/break).
  return JsonReply(200, {{"status", "done"},
                         {"break_offered", input.flags.count("distress") > 0},
                         {"shift", ShiftJson(shift, c.ctx.clock().NowMs())}});
}

Result<Reply> get_review_shift(Call& c) {
  ASSIGN_OR_RETURN(auto shift, review::GetShift(c.ctx, *c.caller.staff));
  return JsonReply(200, {{"shift", ShiftJson(shift, c.ctx.clock().NowMs())}});
}

Result<Reply> post_review_break(Call& c) {
  ASSIGN_OR_RETURN(auto shift, review::TakeBreak(c.ctx, *c.caller.staff));
  return JsonReply(200, {{"shift", ShiftJson(shift, c.ctx.clock().NowMs())}});
}

Result<Reply> post_review_break_end(Call& c) {
  ASSIGN_OR_RETURN(auto shift, review::EndBreak(c.ctx, *c.caller.staff));
  return JsonReply(200, {{"shift", ShiftJson(shift, c.ctx.clock().NowMs())}});
}

Result<Reply> post_review_task_skip(Call& c) {
  RETURN_IF_ERROR(review::Skip(c.ctx, *c.caller.staff, c.Param(1)));
  return JsonReply(200, {{"status", "skipped"}});
}

}  // namespace earshot::http
