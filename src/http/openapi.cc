#include "http/openapi.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace earshot::http {
namespace {

using json = nlohmann::json;

const RouteDoc* DocFor(const std::string& name) {
  for (const RouteDoc& d : RouteDocs()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

// The pattern of each capture group, for the parameter's schema.
std::vector<std::string> Groups(const std::string& pattern) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
      continue;
    }
    if (pattern[i] == '(' && depth++ == 0) start = i + 1;
    if (pattern[i] == ')' && --depth == 0) out.push_back(pattern.substr(start, i - start));
  }
  return out;
}

json Security(const Route& route) {
  switch (route.auth) {
    case Auth::kNone: return json::array();
    case Auth::kStreamKey: return json::array({{{"streamKey", json::array()}}});
    case Auth::kSubject: return json::array({{{"subjectToken", json::array()}}});
    case Auth::kStaff:
      if (std::string(route.method) == "GET")
        return json::array({{{"staffSession", json::array()}}});
      return json::array({{{"staffSession", json::array()}, {"csrfToken", json::array()}}});
  }
  return json::array();
}

const char* Tag(const Route& route) {
  const std::string name = route.name;
  if (name.rfind("web.", 0) == 0) return "pages";
  switch (route.auth) {
    case Auth::kNone: return name.rfind("staff.", 0) == 0 ? "staff" : "operations";
    case Auth::kStreamKey: return "product";
    case Auth::kSubject: return "person recorded";
    case Auth::kStaff: return "staff";
  }
  return "operations";
}

json Operation(const Route& route, const RouteDoc* doc) {
  json op = {{"operationId", route.name}, {"tags", {Tag(route)}}, {"security", Security(route)}};
  if (!route.roles.empty()) {
    std::string roles;
    std::vector<std::string> names;
    for (staff::Role r : route.roles) {
      roles += (roles.empty() ? "" : ", ") + std::string(staff::RoleName(r));
      names.push_back(staff::RoleName(r));
    }
    op["description"] = "Staff roles: " + roles + ".";
    op["x-earshot-roles"] = names;
  }
  const std::vector<std::string> groups = Groups(route.pattern);
  for (size_t i = 0; i < groups.size(); ++i) {
    const std::string name = doc && i < doc->params.size() ? doc->params[i] : "param";
    op["parameters"].push_back(
        {{"name", name},
         {"in", "path"},
         {"required", true},
         {"schema", {{"type", "string"}, {"pattern", "^" + groups[i] + "$"}}}});
  }
  json success = {{"description", doc ? doc->summary : std::string(route.name)}};
  if (doc) {
    op["summary"] = doc->summary;
    if (!doc->request.is_null()) {
      op["requestBody"] = {{"required", true},
                           {"content", {{doc->request_media, {{"schema", doc->request}}}}}};
    }
    json schema = doc->response.is_null() ? json{{"type", "string"}} : doc->response;
    if (doc->media != "application/json" && doc->response.is_null()) {
      schema = {{"type", "string"}, {"contentMediaType", doc->media}};
    }
    success["content"] = {{doc->media, {{"schema", schema}}}};
  }
  op["responses"] = {{std::to_string(doc ? doc->status : 200), success},
                     {"default", {{"$ref", "#/components/responses/Error"}}}};
  return op;
}

json Components() {
  const json error = {
      {"type", "object"},
      {"required", {"error"}},
      {"properties",
       {{"error",
         {{"type", "object"},
          {"required", {"code", "message"}},
          {"properties",
           {{"code", {{"type", "string"}, {"description", "a stable reason, e.g. no_such_task"}}},
            {"message", {{"type", "string"}, {"description", "for people"}}}}}}}}}};
  return {
      {"schemas", {{"Error", error}}},
      {"responses",
       {{"Error",
         {{"description", "A refusal or failure: 4xx with a precise reason, 5xx logged"},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}},
      {"securitySchemes",
       {{"streamKey",
         {{"type", "http"}, {"scheme", "bearer"}, {"description", "a stream's API key (esk_...)"}}},
        {"subjectToken",
         {{"type", "http"},
          {"scheme", "bearer"},
          {"description", "a subject token (sjt_...) minted for the person recorded"}}},
        {"staffSession",
         {{"type", "apiKey"},
          {"in", "cookie"},
          {"name", "earshot_session"},
          {"description",
           "the session cookie of POST /api/v1/staff/sign-in "
           "(__Host-earshot_session under TLS)"}}},
        {"csrfToken",
         {{"type", "apiKey"},
          {"in", "header"},
          {"name", "X-CSRF-Token"},
          {"description",
           "the csrf_token of the sign-in reply; every staff request "
           "that is not GET"}}}}}};
}

json Build() {
  json paths = json::object();
  for (const Route& route : Routes()) {
    const RouteDoc* doc = DocFor(route.name);
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    paths[OpenApiPath(route, doc ? doc->params : std::vector<std::string>{})][method] =
        Operation(route, doc);
  }
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "earshot"},
            {"version", "v1"},
            {"summary", "Human review of voice recordings that protects the people recorded"},
            {"description",
             "Every route of the server. docs/api.md has the prose and curl "
             "examples."}}},
          {"servers", {{{"url", "/"}}}},
          {"paths", paths},
          {"components", Components()}};
}

}  // namespace

std::string OpenApiPath(const Route& route, const std::vector<std::string>& params) {
  const std::string pattern = route.pattern;
  std::string out;
  size_t group = 0;
  int depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char ch = pattern[i];
    if (ch == '\\' && depth == 0 && i + 1 < pattern.size()) {
      out += pattern[++i];
      continue;
    }
    if (ch == '\\') {
      ++i;
      continue;
    }
    if (ch == '(') {
      if (depth++ == 0) {
        out += "{" + (group < params.size() ? params[group] : std::string("param")) + "}";
        ++group;
      }
      continue;
    }
    if (ch == ')') {
      --depth;
      continue;
    }
    if (depth == 0) out += ch;
  }
  return out;
}

const nlohmann::json& OpenApiDocument() {
  static const nlohmann::json kDocument = Build();
  return kDocument;
}

}  // namespace earshot::http
