#include "http/multipart.h"

#include "http/request.h"

namespace earshot::http {
namespace {

Status Malformed(const std::string& why) {
  return InvalidArgument("malformed_multipart", "the multipart body is malformed: " + why);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2046 bchars (the last may not be a space).
bool IsBoundaryChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// The parameters after the first ';' of a header value: name (lower-case is
// compared by the caller) and value, unquoted. A quoted value ends at the
// first unescaped '"'; "\x" stands for x.
std::vector<std::pair<std::string, std::string>> Params(std::string_view v) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = v.find(';');
  while (pos != std::string_view::npos && pos < v.size()) {
    ++pos;
    while (pos < v.size() && (v[pos] == ' ' || v[pos] == '\t')) ++pos;
    const size_t eq = v.find('=', pos);
    if (eq == std::string_view::npos) break;
    std::string name(Trim(v.substr(pos, eq - pos)));
    std::string value;
    size_t i = eq + 1;
    if (i < v.size() && v[i] == '"') {
      for (++i; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        value += v[i];
      }
      pos = v.find(';', i);
    } else {
      const size_t end = v.find(';', i);
      value = std::string(Trim(v.substr(i, end == std::string_view::npos ? v.npos : end - i)));
      pos = end;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

// The media type of a header value: before ';', trimmed.
std::string_view MediaType(std::string_view v) {
  return Trim(v.substr(0, v.find(';')));
}

Status ParsePartHeaders(std::string_view block, FormPart& part) {
  bool disposition = false;
  size_t pos = 0;
  while (pos < block.size()) {
    size_t end = block.find("\r\n", pos);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(pos, end - pos);
    pos = end + 2;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("a part's header line has no ':'");
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "Content-Disposition")) {
      if (!EqualsIgnoreCase(MediaType(value), "form-data")) {
        return Malformed("a part's Content-Disposition is not form-data");
      }
      disposition = true;
      for (auto& [k, v] : Params(value)) {
        if (EqualsIgnoreCase(k, "name")) part.name = std::move(v);
        if (EqualsIgnoreCase(k, "filename")) part.filename = std::move(v);
      }
    } else if (EqualsIgnoreCase(name, "Content-Type")) {
      part.content_type = std::string(value);
    }
  }
  if (!disposition || part.name.empty()) return Malformed("a part has no form-data name");
  return Status::Ok();
}

}  // namespace

Result<std::string> MultipartBoundary(std::string_view content_type) {
  if (!EqualsIgnoreCase(MediaType(content_type), "multipart/form-data")) {
    return InvalidArgument("not_multipart",
                           "send multipart/form-data with fields audio and metadata");
  }
  for (auto& [k, v] : Params(content_type)) {
    if (!EqualsIgnoreCase(k, "boundary")) continue;
    bool valid = !v.empty() && v.size() <= 70 && v.back() != ' ';
    for (char c : v) valid = valid && IsBoundaryChar(c);
    if (!valid) break;
    return std::move(v);
  }
  return InvalidArgument("not_multipart",
                         "the multipart/form-data Content-Type has no valid "
                         "boundary parameter");
}

Result<std::vector<FormPart>> ParseMultipart(std::string_view content_type, std::string_view body) {
  ASSIGN_OR_RETURN(std::string boundary, MultipartBoundary(content_type));
  const std::string delimiter = "--" + boundary;
  const std::string inner = "\r\n" + delimiter;  // a delimiter after the first
  size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    const size_t first = body.find(inner);
    if (first == std::string_view::npos) return Malformed("the boundary does not occur");
    pos = first + inner.size();
  }
  std::vector<FormPart> parts;
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // the close delimiter
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return Malformed("a boundary is not followed by CRLF");
    pos += 2;
    if (parts.size() == kMaxFormParts) {
      return Malformed("more than " + std::to_string(kMaxFormParts) + " parts");
    }
    size_t data_start;
    std::string_view header_block;
    if (body.substr(pos, 2) == "\r\n") {
      data_start = pos + 2;
    } else {
      const size_t end = body.substr(0, pos + kMaxPartHeaderBytes + 4).find("\r\n\r\n", pos);
      if (end == std::string_view::npos) {
        return Malformed("a part's headers do not end within " +
                         std::to_string(kMaxPartHeaderBytes) + " bytes");
      }
      header_block = body.substr(pos, end - pos);
      data_start = end + 4;
    }
    FormPart part;
    RETURN_IF_ERROR(ParsePartHeaders(header_block, part));
    const size_t next = body.find(inner, data_start);
    if (next == std::string_view::npos) return Malformed("a part is not closed by the boundary");
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + inner.size();
  }
}

const FormPart* FindPart(const std::vector<FormPart>& parts, std::string_view name) {
  for (const auto& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace earshot::http
