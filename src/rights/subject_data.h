// What a subject can see and decide about their own data: their recordings
// (with who listened, pseudonymously), the audio, an export, consents and
// retention. Every function is scoped to `subject_id`: another subject's
// recording is NotFound, indistinguishable from one that does not exist.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/context.h"
#include "rights/subjects.h"
#include "rights/what_was_heard.h"

namespace earshot::rights {

struct Listen {
  std::string reviewer_pseudonym;
  int64_t at_ms = 0;
  std::string purpose;
};

struct RecordingSummary {
  std::string id;
  std::string stream_name;
  int64_t captured_at_ms = 0;
  int64_t duration_ms = 0;
  bool audio_available = false;  // false once retention removed the raw audio
  std::vector<Listen> listens;   // empty: no person heard it
  WhatWasHeard heard;            // the transcript and the clips a reviewer gets
};

// [{"reviewer": pseudonym, "at": RFC 3339, "purpose"}]: how listens are shown
// to the subject, in the API and in the export alike.
nlohmann::json ListensJson(const std::vector<Listen>& listens);

Result<std::vector<RecordingSummary>> ListRecordings(Context& ctx, const std::string& subject_id);

// NotFound("no_such_recording"), or NotFound("audio_deleted") after retention.
Result<std::string> RecordingAudioWav(Context& ctx, const std::string& subject_id,
                                      const std::string& recording_id);

// The export of everything held about the subject (a tar archive written as
// it is read) is StartExport, in rights/export.h.

struct SubjectSettings {
  ConsentState consents;
  std::string retention;  // "3m", "18m", "never", or empty: the stream default applies
};
Result<SubjectSettings> GetSettings(Context& ctx, const std::string& subject_id);

// `source` records who made the change ("subject", "product:<stream>").
Status UpdateConsents(Context& ctx, const std::string& subject_id,
                      const std::map<Purpose, bool>& changes, const std::string& policy_version,
                      const std::string& source);

// UpdateConsents for `account` of `tenant`, creating its subject if needed,
// in one transaction (the product's and the operator's consent calls).
// Returns the subject id.
Result<std::string> UpdateAccountConsents(Context& ctx, const std::string& tenant,
                                          const std::string& account,
                                          const std::map<Purpose, bool>& changes,
                                          const std::string& policy_version,
                                          const std::string& source);

// InvalidArgument("bad_retention") unless "3m", "18m" or "never".
Status SetRetention(Context& ctx, const std::string& subject_id, const std::string& retention);

}  // namespace earshot::rights
