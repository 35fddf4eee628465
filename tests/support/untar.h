// Reading a tar archive back with libarchive, for tests of the export.
#pragma once

#include <string>
#include <vector>

namespace earshot::testing {

struct ArchiveFile {
  std::string name;
  std::string bytes;
};

struct Untarred {
  std::vector<ArchiveFile> files;  // in archive order, each read in full
  bool complete = false;           // libarchive reached the end of the archive
  std::string error;               // why not, if not

  // The file named `name`, or nullptr.
  const ArchiveFile* Find(const std::string& name) const;
};

// Every entry of the tar archive in `tar` (in memory).
Untarred Untar(const std::string& tar);

}  // namespace earshot::testing
