// A tar or zip archive written through libarchive into memory, piece by
// piece: the caller adds entries, writes their bytes in slices of its
// choosing and takes the bytes produced so far, so an archive of any size
// passes through a buffer the caller bounds. Nothing touches the disk
// (subject exports hold plaintext). Formats, unblocked (every byte reaches
// the caller at once):
//   tar: POSIX pax, restricted (plain ustar headers unless a name or size
//        needs a pax extension): the headers, the data, its padding to 512
//        bytes and the two end blocks;
//   zip: each entry deflated as it is written (sizes after the data, in a
//        data descriptor), the central directory at the end: what a person
//        double-clicks on any desktop.
// Not thread-safe.
#pragma once

#include <archive.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace earshot::rights {

enum class ArchiveFormat { kTar, kZip };

class ArchiveStream {
 public:
  // Internal("archive_init") if libarchive cannot set the format up.
  static Result<std::unique_ptr<ArchiveStream>> Create(ArchiveFormat format = ArchiveFormat::kTar);
  ~ArchiveStream();
  ArchiveStream(const ArchiveStream&) = delete;
  ArchiveStream& operator=(const ArchiveStream&) = delete;

  // Starts a regular file (mode 0600) of exactly `size` bytes; the previous
  // entry must have been written in full. REQUIRES: `name` is a relative
  // path without "..". Internal("archive_write") on a libarchive error.
  Status BeginEntry(const std::string& name, int64_t size, int64_t mtime_s);
  // Appends `data` to the current entry. REQUIRES: no more than the size
  // declared to BeginEntry in all.
  Status Write(std::string_view data);
  // Writes the end of the archive. No entry may follow. Destroying a
  // ArchiveStream that was not closed writes nothing more (an abandoned archive
  // stays cut short).
  Status Close();

  // Bytes produced and not yet taken: what the caller bounds.
  size_t buffered() const { return out_.size(); }
  // The bytes produced since the last Take, moved out.
  std::string Take();

 private:
  struct Free {
    void operator()(struct archive* a) const;
  };
  ArchiveStream() = default;
  static la_ssize_t Append(struct archive*, void* self, const void* buf, size_t n);
  Status Failed(const char* what) const;

  // out_ outlives archive_: libarchive may still call Append while freed.
  std::string out_;
  std::unique_ptr<struct archive, Free> archive_;
};

}  // namespace earshot::rights
