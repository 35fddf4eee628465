// Process-wide counters rendered in Prometheus text format. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace earshot {

class Metrics {
 public:
  // Adds `n` to the counter `name` with one optional label (e.g. reason="no_store_consent").
  void Add(const std::string& name, int64_t n = 1, const std::string& label_key = "",
           const std::string& label_value = "");
  int64_t Get(const std::string& name, const std::string& label_key = "",
              const std::string& label_value = "") const;
  // "# TYPE name counter" blocks for every counter.
  std::string RenderPrometheus() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, int64_t>> counters_;  // GUARDED_BY(mu_)
};

}  // namespace earshot
