// The de-identification worker: claims jobs from the queue, runs the chain
// (transcribe → detect_pii → redact → split), then each clip stage (voice
// anonymization), and publishes the clips. Any
// stage failure fails the job: nothing of it is stored as a clip, and the
// failure is counted and logged by reason only, never content.
// Not thread-safe: one worker per thread (it owns a recognizer).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/context.h"
#include "asr/recognizer.h"
#include "audio/pcm.h"
#include "pipeline/deid_chain.h"
#include "pipeline/jobs.h"
#include "util/random.h"

namespace earshot::pipeline {

// A stage applied to each clip after redaction, with the stream's settings.
class ClipStage {
 public:
  virtual ~ClipStage() = default;
  virtual Stage stage() const = 0;  // recorded in the clip's stages_passed
  virtual Status Apply(audio::Pcm16& clip, const DeidSettings& settings) = 0;
};

// Voice anonymization (privacy/anonymize) with the stream's chain; each clip
// gets its own seed from `rng` (the CSPRNG in production), kept nowhere.
// Thread-safe if `rng` is.
class AnonymizeStage final : public ClipStage {
 public:
  explicit AnonymizeStage(Random& rng) : rng_(rng) {}
  Stage stage() const override { return Stage::kAnonymize; }
  Status Apply(audio::Pcm16& clip, const DeidSettings& settings) override;

 private:
  Random& rng_;
};

// The stages a worker with these clip stages runs: the chain's own three
// (kTranscribe, kDetectPii, kRedact) and each clip stage's.
StageSet ChainStages(const std::vector<std::unique_ptr<ClipStage>>& clip_stages);

class DeidWorker {
 public:
  // `digit_listener` (may be null) is the chain's second pass for spoken
  // digits the recognizer misses (see RunDeid).
  DeidWorker(Context& ctx, std::unique_ptr<asr::Recognizer> recognizer,
             std::vector<std::unique_ptr<ClipStage>> clip_stages,
             std::unique_ptr<asr::Recognizer> digit_listener = nullptr);

  // Processes the oldest waiting job, if any. Returns whether one was taken.
  // A failed job is not an error of RunOnce (it is recorded on the job).
  Result<bool> RunOnce();
  // RunOnce in two steps, for a worker process that reports the job it is
  // on before running it (so that its supervisor can record a crash).
  Result<std::optional<DeidJob>> Claim();
  Status Process(const DeidJob& job);

  // The fault seam: called with each job's input before the stages run.
  // Tests crash, hang or exhaust memory here on purpose (cli/worker.cc reads
  // EARSHOT_TEST_FAULT); never set in production.
  using FaultHook = std::function<void(const JobInput&)>;
  void set_fault_hook(FaultHook hook) { fault_ = std::move(hook); }

  // The stages this worker runs. Clips are assignable only if these cover
  // RequiredStages(): otherwise the worker must not run (it would use up the
  // jobs without producing anything a reviewer may hear).
  StageSet Stages() const;
  bool CoversRequiredStages() const;

  static constexpr int64_t kJobLeaseMs = 10 * 60'000;

 private:
  Context& ctx_;
  std::unique_ptr<asr::Recognizer> recognizer_;
  std::vector<std::unique_ptr<ClipStage>> clip_stages_;
  std::unique_ptr<asr::Recognizer> digit_listener_;
  FaultHook fault_;
};

}  // namespace earshot::pipeline
