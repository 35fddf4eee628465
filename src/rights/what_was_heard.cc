#include "rights/what_was_heard.h"

#include "app/row_states.h"
#include "audio/decode.h"
#include "crypto/clip_keys.h"
#include "crypto/seal.h"
#include "ingest/metadata.h"
#include "rights/subjects.h"

namespace earshot::rights {

Result<WhatWasHeard> ReadWhatWasHeard(store::Tx& tx, const std::string& subject_key,
                                      const std::string& recording_id,
                                      const std::string& meta_sealed) {
  WhatWasHeard out;
  ASSIGN_OR_RETURN(std::string meta_text,
                   crypto::OpenText(subject_key, meta_sealed, "meta:" + recording_id));
  ASSIGN_OR_RETURN(ingest::RecordingMetadata meta, ingest::ParseSealedMetadata(meta_text));
  if (meta.hypothesis && !meta.hypothesis->text.empty()) out.transcript = meta.hypothesis->text;
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, wrapped_key, masked_text_sealed, duration_ms "
                                       "FROM clips WHERE recording_id = ? AND deidentified = 1 "
                                       "AND blob_name IS NOT NULL ORDER BY created_at, id",
                                       {recording_id}));
  for (const auto& r : rows) {
    const std::string clip_id = r.Text(0);
    ASSIGN_OR_RETURN(std::string clip_key, crypto::UnwrapClipKey(subject_key, r.Text(1), clip_id));
    ASSIGN_OR_RETURN(std::string masked,
                     crypto::OpenText(clip_key, r.Text(2), "cliptext:" + clip_id));
    out.clips.push_back({clip_id, masked, r.Int(3)});
  }
  return out;
}

Result<std::string> HeardClipWav(Context& ctx, const std::string& subject_id,
                                 const std::string& clip_id) {
  std::string blob_name, clip_key;
  RETURN_IF_ERROR(ctx.db().Read([&](store::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     tx.Query("SELECT c.blob_name, c.wrapped_key FROM clips c JOIN recordings r "
                              "ON r.id = c.recording_id AND r.state <> ? "
                              "WHERE c.id = ? AND c.subject_id = ? AND c.deidentified = 1 "
                              "AND c.blob_name IS NOT NULL",
                              {Sql(RecordingState::kErasing), clip_id, subject_id}));
    if (rows.empty())
      return NotFound("no_such_clip", "no such clip (clips are deleted after review)");
    blob_name = rows[0].Text(0);
    ASSIGN_OR_RETURN(std::string subject_key, SubjectKey(tx, ctx, subject_id));
    ASSIGN_OR_RETURN(clip_key, crypto::UnwrapClipKey(subject_key, rows[0].Text(1), clip_id));
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(std::string sealed, ctx.blobs().Get(blob_name));
  ASSIGN_OR_RETURN(std::string pcm, crypto::OpenClipAudio(clip_key, sealed, clip_id));
  return audio::EncodeWav(audio::PcmFromBytes(pcm));
}

}  // namespace earshot::rights
