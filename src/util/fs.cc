#include "util/fs.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace earshot {
namespace {

Status Errno(const std::string& what) {
  return Internal("io_error", what + ": " + std::strerror(errno));
}

std::string DirName(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

}  // namespace

Status EnsureDir(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Internal("io_error", "cannot create directory " + dir + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  return Status::Ok();
}

Status SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open directory " + dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Errno("fsync directory " + dir);
  return Status::Ok();
}

namespace {

// Writes all of `data` to `fd` and fsyncs it; closes `fd` either way.
Status WriteAllAndSync(int fd, const std::string& data, const std::string& path) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status st = Errno("write " + path);
      ::close(fd);
      return st;
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = Errno("fsync " + path);
    ::close(fd);
    return st;
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace

Status CreateFileDurable(const std::string& path, const std::string& data, int mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) return Conflict("file_exists", "file already exists: " + path);
    return Errno("create " + path);
  }
  Status st = WriteAllAndSync(fd, data, path);
  if (!st.ok()) {
    ::unlink(path.c_str());
    return st;
  }
  return SyncDir(DirName(path));
}

Status WriteFileDurable(const std::string& path, const std::string& data, int mode) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Errno("create " + tmp);
  if (Status st = WriteAllAndSync(fd, data, tmp); !st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = Errno("rename " + tmp);
    ::unlink(tmp.c_str());
    return st;
  }
  return SyncDir(DirName(path));
}

Result<std::string> ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return NotFound("file_missing", "no such file: " + path);
    return Errno("open " + path);
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status st = Errno("read " + path);
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Status RemoveFile(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("unlink " + path);
  return Status::Ok();
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Result<LockedAppendFile> LockedAppendFile::Open(const std::string& path, int mode) {
  bool created = true;
  int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0 && errno == EEXIST) {
    created = false;
    fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  }
  if (fd < 0) return Errno("open " + path);
  LockedAppendFile file(fd, path, created);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return Errno("lock " + path);
  }
  return file;
}

LockedAppendFile::LockedAppendFile(LockedAppendFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), created_(other.created_) {
  other.fd_ = -1;
}

LockedAppendFile::~LockedAppendFile() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

Result<std::string> LockedAppendFile::ReadTail(size_t max_bytes) const {
  struct stat st;
  if (::fstat(fd_, &st) != 0) return Errno("stat " + path_);
  const auto size = static_cast<size_t>(st.st_size);
  const size_t want = std::min(size, max_bytes);
  std::string out(want, '\0');
  size_t got = 0;
  while (got < want) {
    ssize_t n = ::pread(fd_, out.data() + got, want - got, static_cast<off_t>(size - want + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("read " + path_);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

Status LockedAppendFile::AppendDurable(const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd_, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("write " + path_);
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd_) != 0) return Errno("fsync " + path_);
  return created_ ? SyncDir(DirName(path_)) : Status::Ok();
}

}  // namespace earshot
