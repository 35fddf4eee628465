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

std::set<std::string> ChainStages(const std::vector<std::unique_ptr<ClipStage>>& clip_stages) {
  std::set<std::string> stages = {"transcribe", "detect_pii", "redact"};
  for (const auto& s : clip_stages) stages.insert(s->name());
  return stages;
}

std::set<std::string> DeidWorker::Stages() const {
  return ChainStages(clip_stages_);
}

bool DeidWorker::CoversRequiredStages() const {
  return MissingStages(Stages()).empty();
}

Result<bool> DeidWorker::RunOnce() {
  ASSIGN_OR_RETURN(auto job, ClaimNextJob(ctx_, kJobLeaseMs));
  if (!job) return false;
  auto input = LoadJobInput(ctx_, *job);
  if (!input.ok()) {
    RETURN_IF_ERROR(FailJob(ctx_, *job, input.status().reason()));
    return true;
  }
  auto result = RunDeid(input->audio, input->meta.hypothesis, recognizer_.get(), input->settings,
                        digit_listener_.get(), input->known);
  if (!result.ok()) {
    RETURN_IF_ERROR(FailJob(ctx_, *job, result.status().reason()));
    return true;
  }
  std::vector<ClipDraft> drafts;
  for (DeidClip& clip : result->clips) {
    ClipDraft draft{std::move(clip.audio), std::move(clip.masked_text), result->stages_passed};
    for (const auto& stage : clip_stages_) {
      Status st = stage->Apply(draft.audio, input->settings);
      if (!st.ok()) {
        RETURN_IF_ERROR(FailJob(ctx_, *job, stage->name() + "_failed"));
        return true;
      }
      draft.stages_passed.insert(stage->name());
    }
    drafts.push_back(std::move(draft));
  }
  auto published = PublishClips(ctx_, *job, std::move(drafts));
  if (!published.ok() && published.status().code() != Code::kConflict) {
    return published.status();
  }
  return true;
}

}  // namespace earshot::pipeline
