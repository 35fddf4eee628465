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
  // Every stored blob name, with its last-modified time (Unix ms).
  struct Entry {
    std::string name;
    int64_t modified_ms;
  };
  virtual Result<std::vector<Entry>> List() = 0;
};

// Files under `root`, fanned out by the first two characters after the prefix.
// Leftover temporary files from interrupted writes are listed with a ".tmp"
// suffix so the orphan sweep can remove them.
class FileBlobStore final : public BlobStore {
 public:
  explicit FileBlobStore(std::string root) : root_(std::move(root)) {}
  Status Put(const std::string& name, const std::string& sealed) override;
  Result<std::string> Get(const std::string& name) override;
  Status Delete(const std::string& name) override;
  Result<std::vector<Entry>> List() override;

 private:
  Result<std::string> PathFor(const std::string& name) const;
  std::string root_;
};

bool IsValidBlobName(const std::string& name);

}  // namespace earshot::store
