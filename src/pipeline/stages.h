// The de-identification stages a clip passes before a reviewer may hear it
// (DESIGN.md invariant 4), with the one text each is stored as in the
// `stages_passed` column of clips (comma-joined, in this order).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/enum_names.h"

namespace earshot::pipeline {

// Recognition (or the product's hypothesis), PII detection, redaction of the
// PII audio, voice anonymization.
enum class Stage { kTranscribe, kDetectPii, kRedact, kAnonymize };
inline constexpr EnumName<Stage> kStages[] = {{Stage::kTranscribe, "transcribe"},
                                              {Stage::kDetectPii, "detect_pii"},
                                              {Stage::kRedact, "redact"},
                                              {Stage::kAnonymize, "anonymize"}};

constexpr const char* StageName(Stage s) {
  return NameIn(kStages, s);
}
constexpr std::optional<Stage> ParseStage(std::string_view text) {
  return ParseIn(kStages, text);
}

using StageSet = std::set<Stage>;

// The texts of `stages`, in the order of kStages.
std::vector<std::string> StageNames(const StageSet& stages);
// The same, comma-joined: what `stages_passed` stores.
std::string JoinStageNames(const StageSet& stages);

}  // namespace earshot::pipeline
