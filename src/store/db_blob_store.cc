#include "store/db_blob_store.h"

#include <chrono>

#include "util/encoding.h"

namespace earshot::store {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status DbBlobStore::Put(const std::string& name, const std::string& sealed) {
  if (!IsValidBlobName(name)) return InvalidArgument("bad_blob_name", "invalid blob name");
  const std::string text = Base64Url(sealed);
  const int64_t now = NowMs();
  return db_.Write([&](Tx& tx) {
    return tx
        .Exec("INSERT INTO sealed_blobs (name, data, modified_at) VALUES (?, ?, ?)",
              {name, text, now})
        .status();
  });
}

Result<std::string> DbBlobStore::Get(const std::string& name) {
  if (!IsValidBlobName(name)) return InvalidArgument("bad_blob_name", "invalid blob name");
  std::string text;
  bool found = false;
  RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT data FROM sealed_blobs WHERE name = ?", {name}));
    found = !rows.empty();
    text = found ? rows[0].Text(0) : "";
    return Status::Ok();
  }));
  if (!found) return NotFound("blob_missing", "blob not found");
  auto sealed = FromBase64Url(text);
  if (!sealed) return Corruption("blob_corrupt", "a stored blob is not valid base64url");
  return *sealed;
}

Status DbBlobStore::Delete(const std::string& name) {
  if (!IsValidBlobName(name)) return InvalidArgument("bad_blob_name", "invalid blob name");
  return db_.Write(
      [&](Tx& tx) { return tx.Exec("DELETE FROM sealed_blobs WHERE name = ?", {name}).status(); });
}

Result<BlobStore::Page> DbBlobStore::List(const std::string& cursor, size_t limit) {
  Page page;
  RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    page.entries.clear();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT name, modified_at FROM sealed_blobs WHERE "
                                         "name > ? ORDER BY name LIMIT ?",
                                         {cursor, static_cast<int64_t>(limit)}));
    for (const Row& row : rows)
      page.entries.push_back({row.Text(0), row.Int(1), "db:" + row.Text(0)});
    return Status::Ok();
  }));
  if (page.entries.size() == limit && limit > 0) page.next = page.entries.back().name;
  return page;
}

Status DbBlobStore::Remove(const Entry& entry) {
  return db_.Write([&](Tx& tx) {
    return tx.Exec("DELETE FROM sealed_blobs WHERE name = ?", {entry.name}).status();
  });
}

}  // namespace earshot::store
