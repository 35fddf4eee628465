#include "rights/recording_access.h"

#include <cstring>

#include "crypto/seal.h"

namespace earshot::rights {

Result<audio::Pcm16> OpenRecordingAudio(Context& ctx, const std::string& data_key,
                                        const std::string& recording_id,
                                        const std::string& blob_name) {
  ASSIGN_OR_RETURN(std::string sealed, ctx.blobs().Get(blob_name));
  ASSIGN_OR_RETURN(std::string bytes, crypto::Open(data_key, sealed, "rec:" + recording_id));
  return audio::PcmFromBytes(bytes);
}

}  // namespace earshot::rights
