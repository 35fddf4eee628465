// A clip's envelope: each clip has its own key, wrapped (sealed as text)
// under its subject's key, and its audio sealed under that clip key. Erasing
// the subject's key shreds every clip at once. The associated data ties each
// to its clip id ("clipkey:ID", "clip:ID"), so neither can be moved onto
// another clip. One place for both, so that every reader and the writer
// agree. Thread-safe (stateless).
#pragma once

#include <string>
#include <string_view>

#include "util/random.h"
#include "util/status.h"

namespace earshot::crypto {

// The clip key sealed under the subject's key, as text for clips.wrapped_key.
std::string WrapClipKey(std::string_view subject_key, std::string_view clip_key,
                        const std::string& clip_id, Random& rng);
// Corruption("decrypt_failed") when the key or clip id does not match.
Result<std::string> UnwrapClipKey(std::string_view subject_key, std::string_view wrapped,
                                  const std::string& clip_id);

// The clip's audio bytes sealed under its clip key, and opened.
std::string SealClipAudio(std::string_view clip_key, std::string_view audio,
                          const std::string& clip_id, Random& rng);
Result<std::string> OpenClipAudio(std::string_view clip_key, std::string_view sealed,
                                  const std::string& clip_id);

}  // namespace earshot::crypto
