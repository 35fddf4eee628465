// Errors are values: domain functions return a Status or a Result<T> carrying a
// domain code, a machine-readable reason and a message a user can act on.
// Only http/ maps codes to HTTP statuses.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace earshot {

enum class Code {
  kOk,
  kInvalidArgument,  // the caller sent something malformed
  kUnauthenticated,  // missing or wrong credentials
  kForbidden,        // authenticated, but not allowed (e.g. no consent)
  kNotFound,         // no such object, or not the caller's
  kConflict,         // state does not allow this now
  kTooLarge,         // input over a configured limit
  kRateLimited,      // too many requests for now: retry later
  kUnsupported,      // input in a format we cannot read
  kCorruption,       // stored data failed an integrity check
  kUnavailable,      // transient: retry later
  kInternal,         // a bug or an environment failure
};

const char* CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string reason, std::string message)
      : code_(code), reason_(std::move(reason)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // Stable snake_case identifier, e.g. "no_store_consent"; used in JSON errors and metrics.
  const std::string& reason() const { return reason_; }
  const std::string& message() const { return message_; }
  std::string ToString() const;
  // Seconds after which trying again may succeed (a rate limit, a transient
  // outage); http/ sends it as Retry-After.
  Status& WithRetryAfter(int64_t seconds) {
    retry_after_s_ = seconds;
    return *this;
  }
  std::optional<int64_t> retry_after_s() const { return retry_after_s_; }

 private:
  Code code_ = Code::kOk;
  std::string reason_;
  std::string message_;
  std::optional<int64_t> retry_after_s_;
};

inline Status RateLimited(std::string reason, std::string msg) {
  return Status(Code::kRateLimited, std::move(reason), std::move(msg));
}
inline Status InvalidArgument(std::string reason, std::string msg) {
  return Status(Code::kInvalidArgument, std::move(reason), std::move(msg));
}
inline Status Unauthenticated(std::string reason, std::string msg) {
  return Status(Code::kUnauthenticated, std::move(reason), std::move(msg));
}
inline Status Forbidden(std::string reason, std::string msg) {
  return Status(Code::kForbidden, std::move(reason), std::move(msg));
}
inline Status NotFound(std::string reason, std::string msg) {
  return Status(Code::kNotFound, std::move(reason), std::move(msg));
}
inline Status Conflict(std::string reason, std::string msg) {
  return Status(Code::kConflict, std::move(reason), std::move(msg));
}
inline Status TooLarge(std::string reason, std::string msg) {
  return Status(Code::kTooLarge, std::move(reason), std::move(msg));
}
inline Status Unsupported(std::string reason, std::string msg) {
  return Status(Code::kUnsupported, std::move(reason), std::move(msg));
}
inline Status Corruption(std::string reason, std::string msg) {
  return Status(Code::kCorruption, std::move(reason), std::move(msg));
}
inline Status Unavailable(std::string reason, std::string msg) {
  return Status(Code::kUnavailable, std::move(reason), std::move(msg));
}
inline Status Internal(std::string reason, std::string msg) {
  return Status(Code::kInternal, std::move(reason), std::move(msg));
}

// A value or an error Status. Accessing value() of an error is a bug (asserted).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace earshot

#define EARSHOT_CONCAT_INNER(a, b) a##b
#define EARSHOT_CONCAT(a, b) EARSHOT_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if it is not ok.
#define RETURN_IF_ERROR(expr)       \
  do {                              \
    ::earshot::Status _st = (expr); \
    if (!_st.ok()) return _st;      \
  } while (0)

// ASSIGN_OR_RETURN(auto x, FunctionReturningResult());
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(EARSHOT_CONCAT(_res_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()
