#include "rights/tar.h"

#include <cstdio>
#include <cstring>

namespace earshot::rights {

void TarWriter::Add(const std::string& name, const std::string& data, int64_t mtime_s) {
  char header[512];
  std::memset(header, 0, sizeof header);
  std::snprintf(header, 100, "%s", name.c_str());
  std::snprintf(header + 100, 8, "%07o", 0600);
  std::snprintf(header + 108, 8, "%07o", 0);
  std::snprintf(header + 116, 8, "%07o", 0);
  std::snprintf(header + 124, 12, "%011llo", static_cast<unsigned long long>(data.size()));
  std::snprintf(header + 136, 12, "%011llo", static_cast<unsigned long long>(mtime_s));
  header[156] = '0';
  std::memcpy(header + 257, "ustar", 6);
  std::memcpy(header + 263, "00", 2);
  std::memset(header + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : header) sum += c;
  std::snprintf(header + 148, 8, "%06o", sum);
  header[155] = ' ';
  out_.append(header, sizeof header);
  out_ += data;
  out_.append((512 - data.size() % 512) % 512, '\0');
}

std::string TarWriter::Finish() {
  out_.append(1024, '\0');
  return std::move(out_);
}

}  // namespace earshot::rights
