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

}  // namespace earshot
