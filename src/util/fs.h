// Small file-system helpers with the durability the vault needs.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace earshot {

// Creates `dir` (and parents) with mode 0700 if missing.
Status EnsureDir(const std::string& dir);

// Writes `data` to `path` so that after return it survives a crash:
// temp file in the same directory, fsync, rename, fsync of the directory.
// `mode` applies to the new file.
Status WriteFileDurable(const std::string& path, const std::string& data, int mode = 0600);

// Creates a new file `path` (failing with Conflict if it exists), writes and
// fsyncs it and its directory. A crash mid-way can leave a partial file under
// the final name: use it only where such a file is recognisable as garbage
// (the blob store's orphan sweep removes files no row references).
Status CreateFileDurable(const std::string& path, const std::string& data, int mode = 0600);

Result<std::string> ReadFile(const std::string& path);

// Removes `path`; a missing file is not an error (idempotent deletion).
Status RemoveFile(const std::string& path);

// fsyncs a directory so a rename or unlink in it is durable.
Status SyncDir(const std::string& dir);

bool FileExists(const std::string& path);

// A file held open for appending under an exclusive advisory lock (flock),
// so that processes sharing it (a server's sweeper, an operator's command)
// append one at a time and each sees the others' lines. One owner; not
// thread-safe. Moving transfers the lock; destruction releases it.
class LockedAppendFile {
 public:
  // Opens `path` (creating it with `mode` if missing) and takes the lock,
  // waiting while another holder has it.
  static Result<LockedAppendFile> Open(const std::string& path, int mode = 0600);

  LockedAppendFile(LockedAppendFile&& other) noexcept;
  LockedAppendFile& operator=(LockedAppendFile&& other) = delete;
  ~LockedAppendFile();

  // Whether this Open created the file.
  bool created() const { return created_; }
  // The last `max_bytes` bytes of the file (all of it if it is shorter).
  Result<std::string> ReadTail(size_t max_bytes) const;
  // Appends `data` and fsyncs the file, and its directory if Open created it.
  Status AppendDurable(const std::string& data);

 private:
  LockedAppendFile(int fd, std::string path, bool created)
      : fd_(fd), path_(std::move(path)), created_(created) {}
  int fd_ = -1;
  std::string path_;
  bool created_ = false;
};

}  // namespace earshot
