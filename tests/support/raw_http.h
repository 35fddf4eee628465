// Raw bytes over a loopback TCP connection, for requests no HTTP client
// library will send (duplicate headers, chunked floods, slow senders).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace earshot::testing {

// A connected socket to 127.0.0.1:`port`, closed on destruction.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }
  // Sends all of `bytes`; false once the server closed or reset.
  bool Send(const std::string& bytes);
  // Reads until the server closes, `timeout_ms` passes without data, or
  // `max_bytes` arrived.
  std::string ReadAll(int timeout_ms = 5000, size_t max_bytes = 1 << 20);
  // True when the server has closed its end (a read returns 0 or fails).
  bool ClosedByServer(int timeout_ms = 2000);

 private:
  int fd_ = -1;
};

// The HTTP status code of a raw response ("HTTP/1.1 411 ..."), or 0.
int StatusOf(const std::string& response);

}  // namespace earshot::testing
