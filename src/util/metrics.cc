#include "util/metrics.h"

namespace earshot {
namespace {
std::string LabelKey(const std::string& k, const std::string& v) {
  if (k.empty()) return "";
  std::string escaped;
  for (char c : v) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped.push_back(c);
  }
  return "{" + k + "=\"" + escaped + "\"}";
}
}  // namespace

void Metrics::Add(const std::string& name, int64_t n, const std::string& label_key,
                  const std::string& label_value) {
  MutexLock lock(mu_);
  counters_[name][LabelKey(label_key, label_value)] += n;
}

int64_t Metrics::Get(const std::string& name, const std::string& label_key,
                     const std::string& label_value) const {
  MutexLock lock(mu_);
  auto it = counters_.find(name);
  if (it == counters_.end()) return 0;
  auto jt = it->second.find(LabelKey(label_key, label_value));
  return jt == it->second.end() ? 0 : jt->second;
}

std::vector<Metrics::Series> Metrics::TakeAll() {
  MutexLock lock(mu_);
  std::vector<Series> out;
  for (const auto& [name, series] : counters_) {
    for (const auto& [labels, value] : series) out.push_back({name, labels, value});
  }
  counters_.clear();
  return out;
}

void Metrics::AddSeries(const Series& series) {
  MutexLock lock(mu_);
  counters_[series.name][series.labels] += series.value;
}

std::string Metrics::RenderPrometheus() const {
  MutexLock lock(mu_);
  std::string out;
  for (const auto& [name, series] : counters_) {
    out += "# TYPE " + name + " counter\n";
    for (const auto& [labels, value] : series) {
      out += name + labels + " " + std::to_string(value) + "\n";
    }
  }
  return out;
}

}  // namespace earshot
