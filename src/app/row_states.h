// The states a row of the domain's tables moves through, as enums with the
// one text each is stored as (the `state` column of tasks, deid_jobs,
// recordings, erasures and escalations). Domain code binds Sql(state) as a
// parameter and never writes a state's text into SQL itself; the CTest
// Enums.NoLiteralInSql fails on one that does (migrations, which are
// history, excepted). Parse*State reads a stored text back.
#pragma once

#include <optional>
#include <string_view>

#include "util/enum_names.h"

namespace earshot {

// A review task (review/queue.h): queued -> leased -> done, or back to queued
// when its lease lapses or is given back; withdrawn when its clip's
// recording is erased or an escalation takes the clip out of review.
enum class TaskState { kQueued, kLeased, kDone, kWithdrawn };
inline constexpr EnumName<TaskState> kTaskStates[] = {{TaskState::kQueued, "queued"},
                                                      {TaskState::kLeased, "leased"},
                                                      {TaskState::kDone, "done"},
                                                      {TaskState::kWithdrawn, "withdrawn"}};

// A de-identification job (pipeline/jobs.h): queued -> running -> done;
// running -> queued again after a retryable failure; quarantined after its
// last attempt; dropped when its recording is erased, or when it published
// no clip.
enum class JobState { kQueued, kRunning, kDone, kDropped, kQuarantined };
inline constexpr EnumName<JobState> kJobStates[] = {{JobState::kQueued, "queued"},
                                                    {JobState::kRunning, "running"},
                                                    {JobState::kDone, "done"},
                                                    {JobState::kDropped, "dropped"},
                                                    {JobState::kQuarantined, "quarantined"}};

// A recording (ingest/intake.h): stored until an erasure marks it erasing
// (rights/erasure.h), after which nothing shows, serves or reviews it.
enum class RecordingState { kStored, kErasing };
inline constexpr EnumName<RecordingState> kRecordingStates[] = {
    {RecordingState::kStored, "stored"}, {RecordingState::kErasing, "erasing"}};

// An erasure request (rights/erasure.h): pending until every copy is gone.
enum class ErasureState { kPending, kDone };
inline constexpr EnumName<ErasureState> kErasureStates[] = {{ErasureState::kPending, "pending"},
                                                            {ErasureState::kDone, "done"}};

// An escalation (review/escalation.h): open -> disclosure_requested ->
// disclosed (two people) -> closed, or open -> closed.
enum class EscalationState { kOpen, kDisclosureRequested, kDisclosed, kClosed };
inline constexpr EnumName<EscalationState> kEscalationStates[] = {
    {EscalationState::kOpen, "open"},
    {EscalationState::kDisclosureRequested, "disclosure_requested"},
    {EscalationState::kDisclosed, "disclosed"},
    {EscalationState::kClosed, "closed"}};

// The text stored for a state.
constexpr const char* Sql(TaskState s) {
  return NameIn(kTaskStates, s);
}
constexpr const char* Sql(JobState s) {
  return NameIn(kJobStates, s);
}
constexpr const char* Sql(RecordingState s) {
  return NameIn(kRecordingStates, s);
}
constexpr const char* Sql(ErasureState s) {
  return NameIn(kErasureStates, s);
}
constexpr const char* Sql(EscalationState s) {
  return NameIn(kEscalationStates, s);
}

// The state a stored text stands for; nullopt for a text no state has.
constexpr std::optional<TaskState> ParseTaskState(std::string_view s) {
  return ParseIn(kTaskStates, s);
}
constexpr std::optional<JobState> ParseJobState(std::string_view s) {
  return ParseIn(kJobStates, s);
}
constexpr std::optional<RecordingState> ParseRecordingState(std::string_view s) {
  return ParseIn(kRecordingStates, s);
}
constexpr std::optional<ErasureState> ParseErasureState(std::string_view s) {
  return ParseIn(kErasureStates, s);
}
constexpr std::optional<EscalationState> ParseEscalationState(std::string_view s) {
  return ParseIn(kEscalationStates, s);
}

}  // namespace earshot
