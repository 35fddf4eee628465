// multipart/form-data bodies (RFC 7578, framed per RFC 2046 section 5.1): how
// a product sends a recording (the "audio" file and the "metadata" JSON).
// The body is untrusted input (tests/fuzz/multipart_fuzz.cc). Pure;
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace earshot::http {

struct FormPart {
  std::string name;          // Content-Disposition's name
  std::string filename;      // its filename, "" when none was given
  std::string content_type;  // the part's Content-Type, "" when none was given
  std::string_view data;     // the part's bytes: a view into the parsed body
};

// Limits of one body: more parts, or a longer header block in one part, is
// refused rather than parsed.
inline constexpr size_t kMaxFormParts = 16;
inline constexpr size_t kMaxPartHeaderBytes = 8 * 1024;

// The boundary named by a Content-Type header of multipart/form-data, or
// InvalidArgument("not_multipart") when it is another type or has no valid
// boundary (1-70 characters, RFC 2046).
Result<std::string> MultipartBoundary(std::string_view content_type);

// The parts of `body`, in order; the views point into `body`, which must
// outlive them. InvalidArgument("malformed_multipart", why) when the body is
// not framed by the boundary, a part has no form-data name, or a limit is
// passed. A preamble before the first boundary and an epilogue after the
// last are ignored, as RFC 2046 requires.
Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body);

// The first part named `name`, or nullptr.
const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name);

}  // namespace earshot::http
