#include "ingest/sampler.h"

#include <cstdint>

#include "crypto/seal.h"

namespace earshot::ingest {

double SampleDraw(const std::string& key, const std::string& stream_id,
                  const std::string& recording_id) {
  const std::string message = stream_id + "\n" + recording_id;
  const std::string out = crypto::KeyedHash(key, message, 16);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<unsigned char>(out[i]);
  return static_cast<double>(bits >> 11) / static_cast<double>(uint64_t{1} << 53);
}

}  // namespace earshot::ingest
