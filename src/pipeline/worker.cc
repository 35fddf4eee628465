#include "pipeline/worker.h"

#include <algorithm>

#include "pipeline/deid_chain.h"
#include "pipeline/jobs.h"

namespace earshot::pipeline {

DeidWorker::DeidWorker(Context& ctx, std::unique_ptr<asr::Recognizer> recognizer,
                       std::vector<std::unique_ptr<ClipStage>> clip_stages,
                       std::unique_ptr<asr::Recognizer> digit_listener)
    : ctx_(ctx),
      recognizer_(std::move(recognizer)),
      clip_stages_(std::move(clip_stages)),
      digit_listener_(std::move(digit_listener)) {}

Status AnonymizeStage::Apply(audio::Pcm16& clip, const DeidSettings& settings) {
  uint64_t seed = 0;
  rng_.Fill(reinterpret_cast<uint8_t*>(&seed), sizeof seed);
  ASSIGN_OR_RETURN(clip, privacy::anonymize::Anonymize(clip, settings.anonymize, seed));
  return Status::Ok();
}

StageSet ChainStages(const std::vector<std::unique_ptr<ClipStage>>& clip_stages) {
  StageSet stages = {Stage::kTranscribe, Stage::kDetectPii, Stage::kRedact};
  for (const auto& s : clip_stages) stages.insert(s->stage());
  return stages;
}

StageSet DeidWorker::Stages() const {
  return ChainStages(clip_stages_);
}

bool DeidWorker::CoversRequiredStages() const {
  return MissingStages(Stages()).empty();
}

Result<bool> DeidWorker::RunOnce() {
  ASSIGN_OR_RETURN(auto job, Claim());
  if (!job) return false;
  RETURN_IF_ERROR(Process(*job));
  return true;
}

Result<std::optional<DeidJob>> DeidWorker::Claim() {
  return ClaimNextJob(ctx_, kJobLeaseMs);
}

Status DeidWorker::Process(const DeidJob& job) {
  auto input = LoadJobInput(ctx_, job);
  if (!input.ok()) return FailJob(ctx_, job, input.status().reason());
  if (fault_) fault_(*input);
  auto result = RunDeid(input->audio, input->meta.hypothesis, recognizer_.get(), input->settings,
                        digit_listener_.get(), input->known);
  if (!result.ok()) return FailJob(ctx_, job, result.status().reason());
  std::vector<ClipDraft> drafts;
  for (DeidClip& clip : result->clips) {
    ClipDraft draft{std::move(clip.audio), std::move(clip.masked_text), result->stages_passed,
                    std::move(clip.bleeps)};
    for (const auto& stage : clip_stages_) {
      Status st = stage->Apply(draft.audio, input->settings);
      if (!st.ok()) return FailJob(ctx_, job, std::string(StageName(stage->stage())) + "_failed");
      draft.stages_passed.insert(stage->stage());
    }
    drafts.push_back(std::move(draft));
  }
  auto published = PublishClips(ctx_, job, std::move(drafts));
  if (!published.ok() && published.status().code() != Code::kConflict) {
    return published.status();
  }
  return Status::Ok();
}

}  // namespace earshot::pipeline
