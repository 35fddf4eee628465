// rights/vault_check.h: the sealed copies of one deployment, checked in another.
#include "rights/vault_check.h"

#include "crypto/clip_keys.h"
#include "crypto/seal.h"
#include "rights/subjects.h"

namespace earshot::rights {

Result<int64_t> VerifySealedCopies(Context& source, Context& target) {
  struct Sealed {
    bool clip;
    std::string id, subject_id, blob_name, wrapped_key;
  };
  std::vector<Sealed> sealed;
  RETURN_IF_ERROR(target.db().Read([&](store::Tx& tx) -> Status {
    sealed.clear();
    ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT 0, id, subject_id, blob_name, '' FROM recordings "
                                         "WHERE blob_name IS NOT NULL UNION ALL SELECT 1, id, "
                                         "subject_id, blob_name, wrapped_key FROM clips WHERE "
                                         "blob_name IS NOT NULL"));
    for (const auto& r : rows) {
      sealed.push_back({r.Int(0) == 1, r.Text(1), r.Text(2), r.Text(3), r.Text(4)});
    }
    return Status::Ok();
  }));
  for (const Sealed& s : sealed) {
    ASSIGN_OR_RETURN(std::string want, source.blobs().Get(s.blob_name));
    auto got = target.blobs().Get(s.blob_name);
    if (!got.ok())
      return Corruption("blob_missing", "blob " + s.blob_name + " is not in the target");
    if (*got != want) {
      return Corruption("blob_differs", "blob " + s.blob_name + " differs in the target");
    }
    std::string subject_key;
    RETURN_IF_ERROR(target.db().Read([&](store::Tx& tx) -> Status {
      ASSIGN_OR_RETURN(subject_key, rights::SubjectKey(tx, target, s.subject_id));
      return Status::Ok();
    }));
    Result<std::string> opened = s.clip ? crypto::UnwrapClipKey(subject_key, s.wrapped_key, s.id)
                                        : Result<std::string>(subject_key);
    if (opened.ok()) {
      opened = s.clip ? crypto::OpenClipAudio(*opened, *got, s.id)
                      : crypto::Open(*opened, *got, "rec:" + s.id);
    }
    if (!opened.ok()) {
      return Corruption("blob_undecryptable",
                        "blob " + s.blob_name +
                            " does not open with the target's keys: " + opened.status().message());
    }
  }
  return static_cast<int64_t>(sealed.size());
}

}  // namespace earshot::rights
