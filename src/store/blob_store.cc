#include "store/blob_store.h"

#include <sys/stat.h>

#include <algorithm>
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

Result<std::vector<BlobStore::Entry>> BlobStore::ListAll() {
  std::vector<Entry> out;
  std::string cursor;
  do {
    ASSIGN_OR_RETURN(Page page, List(cursor, kListPage));
    for (auto& e : page.entries) out.push_back(std::move(e));
    cursor = std::move(page.next);
  } while (!cursor.empty());
  return out;
}

// The cursor is "<shard>/<name>" of the last entry returned.
Result<BlobStore::Page> FileBlobStore::List(const std::string& cursor, size_t limit) {
  Page page;
  std::error_code ec;
  if (!std::filesystem::exists(root_, ec) || limit == 0) return page;
  std::vector<std::string> shards;
  for (auto it = std::filesystem::directory_iterator(root_, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    shards.push_back(it->path().filename().string());
  }
  if (ec) return Internal("io_error", "cannot list blobs: " + ec.message());
  std::sort(shards.begin(), shards.end());
  const size_t slash = cursor.find('/');
  const std::string after_shard = cursor.substr(0, slash);
  const std::string after_name = slash == std::string::npos ? "" : cursor.substr(slash + 1);
  for (const std::string& shard : shards) {
    if (!cursor.empty() && shard < after_shard) continue;
    const std::string dir = root_ + "/" + shard;
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      // A stray file at the top: an entry of its own "shard".
      if (!cursor.empty() && shard == after_shard) continue;
      page.entries.push_back({shard, static_cast<int64_t>(st.st_mtime) * 1000, dir});
    } else {
      std::vector<std::string> names;
      for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file()) {
          names.push_back(std::filesystem::relative(it->path(), dir).string());
        }
      }
      if (ec) return Internal("io_error", "cannot list blobs: " + ec.message());
      std::sort(names.begin(), names.end());
      for (const std::string& rel : names) {
        if (!cursor.empty() && shard == after_shard && rel <= after_name) continue;
        const std::string path = dir + "/" + rel;
        const int64_t mtime =
            ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) * 1000 : 0;
        page.entries.push_back({std::filesystem::path(rel).filename().string(), mtime, path});
        if (page.entries.size() == limit) {
          page.next = shard + "/" + rel;
          return page;
        }
      }
      continue;
    }
    if (page.entries.size() == limit) {
      page.next = shard;
      return page;
    }
  }
  return page;
}

}  // namespace earshot::store
