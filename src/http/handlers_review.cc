// Handlers for reviewers. Responses carry only what DESIGN.md invariant 3
// allows: random task ids, clip length, masked hypothesis, stream name.
#include "http/routes.h"
#include "review/queue.h"

namespace earshot::http {

using nlohmann::json;

Reply post_review_next(Call& c) {
  auto task = review::LeaseNext(c.ctx, *c.caller.staff);
  if (!task.ok()) return ErrorReply(task.status());
  if (!task->has_value()) return JsonReply(200, {{"task", nullptr}});
  const review::LeasedTask& t = **task;
  return JsonReply(
      200, {{"task",
             {{"id", t.task_id},
              {"stream", t.stream_name},
              {"duration_ms", t.duration_ms},
              {"masked_hypothesis", t.masked_hypothesis},
              {"lease_expires_in_s", (t.lease_expires_at_ms - c.ctx.clock().NowMs()) / 1000},
              {"audio_url", "/api/v1/review/tasks/" + t.task_id + "/audio"}}}});
}

Reply get_review_task_audio(Call& c) {
  auto wav = review::TaskAudioWav(c.ctx, *c.caller.staff, c.Param(1));
  if (!wav.ok()) return ErrorReply(wav.status());
  Reply r;
  r.content_type = "audio/wav";
  r.body = std::move(*wav);
  r.headers["Cache-Control"] = "no-store";
  r.headers["Content-Disposition"] = "inline";
  return r;
}

Reply post_review_task_annotation(Call& c) {
  auto input = review::ParseAnnotation(c.req.body);
  if (!input.ok()) return ErrorReply(input.status());
  Status st = review::Annotate(c.ctx, *c.caller.staff, c.Param(1), *input);
  if (!st.ok()) return ErrorReply(st);
  return JsonReply(200, {{"status", "done"}});
}

Reply post_review_task_skip(Call& c) {
  Status st = review::Skip(c.ctx, *c.caller.staff, c.Param(1));
  if (!st.ok()) return ErrorReply(st);
  return JsonReply(200, {{"status", "skipped"}});
}

}  // namespace earshot::http
