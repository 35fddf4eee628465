// A minimal in-memory POSIX ustar archive writer (for subject exports, so no
// plaintext is written to disk on the way out).
#pragma once

#include <string>

namespace earshot::rights {

class TarWriter {
 public:
  // REQUIRES: name is 1-100 bytes of safe ASCII (no "..", no leading '/').
  void Add(const std::string& name, const std::string& data, int64_t mtime_s);
  // The archive with its two terminating zero blocks.
  std::string Finish();

 private:
  std::string out_;
};

}  // namespace earshot::rights
