// Sealed blobs kept in the deployment's database (`--blobs postgresql`), one
// row per blob in `sealed_blobs` (migration 15), so that servers and workers
// on several hosts need no shared file system. The blob is stored as
// base64url text, which every backend accepts through the same SQL; a clip
// of 10 s is about 430 KB of text, which PostgreSQL compresses and moves
// out of line (TOAST) by itself.
//
// Crypto-shredding holds as with files: a blob is sealed under a key that
// erasure destroys, so a deleted row's bytes that linger in free space are
// ciphertext nobody can open (docs/storage.md, "Erasure on PostgreSQL: the honest gap").
#pragma once

#include "store/blob_store.h"
#include "store/db.h"

namespace earshot::store {

class DbBlobStore final : public BlobStore {
 public:
  explicit DbBlobStore(Db& db) : db_(db) {}
  Status Put(const std::string& name, const std::string& sealed) override;
  Result<std::string> Get(const std::string& name) override;
  Status Delete(const std::string& name) override;
  Result<Page> List(const std::string& cursor, size_t limit) override;
  Status Remove(const Entry& entry) override;

 private:
  Db& db_;
};

}  // namespace earshot::store
