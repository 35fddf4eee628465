#include "rights/archive_stream.h"

#include <archive_entry.h>

namespace earshot::rights {
namespace {

struct EntryFree {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

}  // namespace

void ArchiveStream::Free::operator()(struct archive* a) const {
  archive_write_free(a);  // closes first if still open
}

Result<std::unique_ptr<ArchiveStream>> ArchiveStream::Create(ArchiveFormat format) {
  std::unique_ptr<ArchiveStream> t(new ArchiveStream());
  t->archive_.reset(archive_write_new());
  struct archive* a = t->archive_.get();
  if (a == nullptr) return Internal("archive_init", "libarchive could not allocate a writer");
  // Unblocked: every byte reaches Append at once, none waits in libarchive.
  const int set = format == ArchiveFormat::kZip ? archive_write_set_format_zip(a)
                                                : archive_write_set_format_pax_restricted(a);
  if (set != ARCHIVE_OK ||
      archive_write_set_bytes_per_block(a, 0) != ARCHIVE_OK ||
      archive_write_open(a, t.get(), nullptr, &ArchiveStream::Append, nullptr) != ARCHIVE_OK) {
    return Internal("archive_init", std::string("libarchive: ") + archive_error_string(a));
  }
  return t;
}

ArchiveStream::~ArchiveStream() {
  // Unclosed (an export cut short): freeing closes it, and the end blocks
  // that writes go into out_, which nobody sends any more. Not
  // archive_write_fail: after it libarchive 3.6 skips closing its output
  // and leaks the output's state (the sanitizer suite found it).
  archive_.reset();
}

la_ssize_t ArchiveStream::Append(struct archive*, void* self, const void* buf, size_t n) {
  static_cast<ArchiveStream*>(self)->out_.append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

Status ArchiveStream::Failed(const char* what) const {
  const char* why = archive_error_string(archive_.get());
  return Internal("archive_write", std::string(what) + ": " + (why ? why : "libarchive error"));
}

Status ArchiveStream::BeginEntry(const std::string& name, int64_t size, int64_t mtime_s) {
  std::unique_ptr<struct archive_entry, EntryFree> entry(archive_entry_new());
  if (!entry) return Internal("archive_write", "libarchive could not allocate an entry");
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);
  archive_entry_set_size(entry.get(), size);
  archive_entry_set_mtime(entry.get(), mtime_s, 0);
  if (archive_write_header(archive_.get(), entry.get()) != ARCHIVE_OK) {
    return Failed("header");
  }
  return Status::Ok();
}

Status ArchiveStream::Write(std::string_view data) {
  if (data.empty()) return Status::Ok();
  const la_ssize_t n = archive_write_data(archive_.get(), data.data(), data.size());
  if (n != static_cast<la_ssize_t>(data.size())) return Failed("data");
  return Status::Ok();
}

Status ArchiveStream::Close() {
  if (archive_write_close(archive_.get()) != ARCHIVE_OK) return Failed("close");
  return Status::Ok();
}

std::string ArchiveStream::Take() {
  // The next piece gets a buffer as large as this one had to grow to.
  std::string out;
  out.reserve(out_.capacity());
  out.swap(out_);
  return out;
}

}  // namespace earshot::rights
