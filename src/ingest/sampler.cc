#include "ingest/sampler.h"

#include <sodium.h>

#include <cstdint>

namespace earshot::ingest {

double SampleDraw(const std::string& key, const std::string& stream_id,
                  const std::string& recording_id) {
  const std::string message = stream_id + "\n" + recording_id;
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size());
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | out[i];
  return static_cast<double>(bits >> 11) / static_cast<double>(uint64_t{1} << 53);
}

}  // namespace earshot::ingest
