#include "crypto/clip_keys.h"

#include "crypto/seal.h"

namespace earshot::crypto {

std::string WrapClipKey(std::string_view subject_key, std::string_view clip_key,
                        const std::string& clip_id, Random& rng) {
  return SealText(subject_key, clip_key, "clipkey:" + clip_id, rng);
}

Result<std::string> UnwrapClipKey(std::string_view subject_key, std::string_view wrapped,
                                  const std::string& clip_id) {
  return OpenText(subject_key, wrapped, "clipkey:" + clip_id);
}

std::string SealClipAudio(std::string_view clip_key, std::string_view audio,
                          const std::string& clip_id, Random& rng) {
  return Seal(clip_key, audio, "clip:" + clip_id, rng);
}

Result<std::string> OpenClipAudio(std::string_view clip_key, std::string_view sealed,
                                  const std::string& clip_id) {
  return Open(clip_key, sealed, "clip:" + clip_id);
}

}  // namespace earshot::crypto
