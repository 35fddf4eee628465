// Structured logs: one JSON object per line on stderr.
// Callers pass only content-free fields (counts, reasons, durations, random
// object ids); never keys, tokens, account ids, serials or transcripts.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace earshot {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogField = std::pair<std::string, std::string>;

// Thread-safe; each call writes exactly one line.
void Log(LogLevel level, const std::string& event, std::initializer_list<LogField> fields = {});
void SetLogLevel(LogLevel min_level);
// "debug", "info", "warn", "error"; nullopt for anything else.
std::optional<LogLevel> ParseLogLevel(std::string_view name);

inline void LogInfo(const std::string& event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kInfo, event, fields);
}
inline void LogWarn(const std::string& event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kWarn, event, fields);
}
inline void LogError(const std::string& event, std::initializer_list<LogField> fields = {}) {
  Log(LogLevel::kError, event, fields);
}

}  // namespace earshot
