// Process-wide counters rendered in Prometheus text format. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/thread_annotations.h"

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

  // One counter series: `labels` as rendered ("" or {key="value"}).
  struct Series {
    std::string name;
    std::string labels;
    int64_t value = 0;
  };
  // Every series, and resets them all: a worker process hands its counts to
  // its supervisor, which adds them with AddSeries.
  std::vector<Series> TakeAll();
  void AddSeries(const Series& series);

 private:
  mutable Mutex mu_;
  std::map<std::string, std::map<std::string, int64_t>> counters_ GUARDED_BY(mu_);
};

}  // namespace earshot
