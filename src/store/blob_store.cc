#include "store/blob_store.h"

#include <sys/stat.h>

#include <filesystem>

#include "util/fs.h"

namespace earshot::store {

bool IsValidBlobName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Result<std::string> FileBlobStore::PathFor(const std::string& name) const {
  if (!IsValidBlobName(name)) return InvalidArgument("bad_blob_name", "invalid blob name");
  size_t us = name.find('_');
  std::string shard = name.substr(us == std::string::npos ? 0 : us + 1, 1);
  return root_ + "/" + shard + "/" + name;
}

Status FileBlobStore::Put(const std::string& name, const std::string& sealed) {
  ASSIGN_OR_RETURN(std::string path, PathFor(name));
  RETURN_IF_ERROR(EnsureDir(std::filesystem::path(path).parent_path().string()));
  // Names are fresh random ids, so create in place: no temp file and rename.
  // A partial file left by a crash has no row and is swept as an orphan.
  return CreateFileDurable(path, sealed, 0600);
}

Result<std::string> FileBlobStore::Get(const std::string& name) {
  ASSIGN_OR_RETURN(std::string path, PathFor(name));
  auto data = ReadFile(path);
  if (!data.ok() && data.status().code() == Code::kNotFound) {
    return NotFound("blob_missing", "blob not found");
  }
  return data;
}

Status FileBlobStore::Delete(const std::string& name) {
  ASSIGN_OR_RETURN(std::string path, PathFor(name));
  RETURN_IF_ERROR(RemoveFile(path));
  std::string dir = std::filesystem::path(path).parent_path().string();
  return FileExists(dir) ? SyncDir(dir) : Status::Ok();
}

Status FileBlobStore::Remove(const Entry& entry) {
  // Only files under the root: an Entry is List's, but say so anyway.
  const std::string prefix = root_ + "/";
  if (entry.location.compare(0, prefix.size(), prefix) != 0 ||
      entry.location.find("/../") != std::string::npos) {
    return InvalidArgument("bad_blob_location", "not a file of this blob store");
  }
  RETURN_IF_ERROR(RemoveFile(entry.location));
  std::string dir = std::filesystem::path(entry.location).parent_path().string();
  return FileExists(dir) ? SyncDir(dir) : Status::Ok();
}

Result<std::vector<BlobStore::Entry>> FileBlobStore::List() {
  std::vector<Entry> out;
  std::error_code ec;
  if (!std::filesystem::exists(root_, ec)) return out;
  for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    struct stat st;
    std::string path = it->path().string();
    int64_t mtime = ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) * 1000 : 0;
    out.push_back({it->path().filename().string(), mtime, path});
  }
  if (ec) return Internal("io_error", "cannot list blobs: " + ec.message());
  return out;
}

}  // namespace earshot::store
