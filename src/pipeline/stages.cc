#include "pipeline/stages.h"

namespace earshot::pipeline {

std::vector<std::string> StageNames(const StageSet& stages) {
  std::vector<std::string> names;
  for (Stage s : stages) names.emplace_back(StageName(s));
  return names;
}

std::string JoinStageNames(const StageSet& stages) {
  std::string out;
  for (Stage s : stages) out += (out.empty() ? "" : ",") + std::string(StageName(s));
  return out;
}

}  // namespace earshot::pipeline
