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
  // Leftover "<name>.tmp" files of interrupted writes may be named for deletion.
  const std::string stem =
      name.size() > 4 && name.ends_with(".tmp") ? name.substr(0, name.size() - 4) : name;
  if (!IsValidBlobName(stem)) return InvalidArgument("bad_blob_name", "invalid blob name");
  size_t us = stem.find('_');
  std::string shard = stem.substr(us == std::string::npos ? 0 : us + 1, 2);
  return root_ + "/" + shard + "/" + name;
}

Status FileBlobStore::Put(const std::string& name, const std::string& sealed) {
  ASSIGN_OR_RETURN(std::string path, PathFor(name));
  RETURN_IF_ERROR(EnsureDir(std::filesystem::path(path).parent_path().string()));
  return WriteFileDurable(path, sealed, 0600);
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
    out.push_back({it->path().filename().string(), mtime});
  }
  if (ec) return Internal("io_error", "cannot list blobs: " + ec.message());
  return out;
}

}  // namespace earshot::store
