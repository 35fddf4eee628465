// Where sealed blobs live. Blobs are already encrypted by the caller; the
// store never sees plaintext. Names are generated ids ([a-z0-9_], ≤ 64 chars).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "util/status.h"

namespace earshot::store {

// Thread-safe.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores `sealed` under `name`, durable (fsync'd) on return.
  virtual Status Put(const std::string& name, const std::string& sealed) = 0;
  // NotFound("blob_missing") if absent.
  virtual Result<std::string> Get(const std::string& name) = 0;
  // Idempotent: deleting a missing blob is ok.
  virtual Status Delete(const std::string& name) = 0;
  // Stored objects, with their last-modified time (Unix ms), a page at a
  // time: `cursor` is "" for the first page and the previous page's `next`
  // after that; `next` is "" after the last page. `name` may not be a valid
  // blob name (a stray file); `location` says where the object is.
  struct Entry {
    std::string name;
    int64_t modified_ms;
    std::string location;  // store-specific: the file's path, or "db:<name>"
  };
  struct Page {
    std::vector<Entry> entries;
    std::string next;
  };
  static constexpr size_t kListPage = 1000;
  virtual Result<Page> List(const std::string& cursor, size_t limit) = 0;
  // Every page of List, gathered (tests, small stores).
  Result<std::vector<Entry>> ListAll();
  // Removes the object List returned, wherever it lies and whatever its
  // name (the orphan sweep's cleanup). Idempotent.
  virtual Status Remove(const Entry& entry) = 0;
};

// Files under `root`, fanned out into 32 shard directories (created on first
// use) by the first character after the id's prefix. Each blob is created in
// place under its final name (ids are fresh): a file left half-written by a
// crash has no row and is removed by the orphan sweep.
class FileBlobStore final : public BlobStore {
 public:
  explicit FileBlobStore(std::string root) : root_(std::move(root)) {}
  Status Put(const std::string& name, const std::string& sealed) override;
  Result<std::string> Get(const std::string& name) override;
  Status Delete(const std::string& name) override;
  // In shard order, then name order within a shard; one shard's names are
  // read per page.
  Result<Page> List(const std::string& cursor, size_t limit) override;
  Status Remove(const Entry& entry) override;

 private:
  Result<std::string> PathFor(const std::string& name) const;
  std::string root_;
};

bool IsValidBlobName(const std::string& name);

}  // namespace earshot::store
