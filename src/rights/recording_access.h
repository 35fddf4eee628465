// Decrypting a recording's stored audio and metadata (shared by the subject's
// own access and the export). Internal to rights/.
#pragma once

#include <string>

#include "app/context.h"
#include "audio/pcm.h"
#include "store/db.h"

namespace earshot::rights {

Result<audio::Pcm16> OpenRecordingAudio(Context& ctx, const std::string& data_key,
                                        const std::string& recording_id,
                                        const std::string& blob_name);

}  // namespace earshot::rights
