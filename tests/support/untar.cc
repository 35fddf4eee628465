#include "support/untar.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace earshot::testing {

const ArchiveFile* Untarred::Find(const std::string& name) const {
  for (const auto& f : files) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Untarred Untar(const std::string& tar) {
  Untarred out;
  std::unique_ptr<struct archive, int (*)(struct archive*)> a(archive_read_new(),
                                                              archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), tar.data(), tar.size()) != ARCHIVE_OK) {
    out.error = archive_error_string(a.get());
    return out;
  }
  struct archive_entry* entry = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    ArchiveFile f{archive_entry_pathname(entry), std::string()};
    char buf[16384];
    la_ssize_t n;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) f.bytes.append(buf, n);
    if (n < 0 || static_cast<int64_t>(f.bytes.size()) != archive_entry_size(entry)) {
      out.error = n < 0 ? archive_error_string(a.get()) : "entry cut short: " + f.name;
      return out;
    }
    out.files.push_back(std::move(f));
  }
  out.complete = rc == ARCHIVE_EOF;
  if (!out.complete) {
    const char* why = archive_error_string(a.get());
    out.error = why ? why : "unreadable archive";
  }
  return out;
}

}  // namespace earshot::testing
