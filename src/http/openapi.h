// The API's OpenAPI 3.1 document, served at GET /api/openapi.json. It is
// built from the route table (routes.cc: method, path, authentication, roles)
// and one description per route (openapi_routes.cc: summary, path parameter
// names, request and response schemas). A route without a description, or a
// description naming no route, fails tests/unit/openapi_test.cc; the document
// itself is checked against the OpenAPI 3.1 schema by an npm validator in
// tests/api/openapi.test.mjs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/routes.h"

namespace earshot::http {

// What the route table cannot say about a route.
struct RouteDoc {
  std::string name;                 // Route::name
  std::string summary;              // one line
  std::vector<std::string> params;  // names of the path's capture groups, in order
  nlohmann::json request;           // JSON Schema of a JSON body, or null (none)
  int status = 200;                 // the success status
  std::string media = "application/json";  // the success body's media type
  nlohmann::json response;          // JSON Schema of a JSON success body, or null
  std::string request_media = "application/json";  // of `request`
};

// Every route's description (openapi_routes.cc).
const std::vector<RouteDoc>& RouteDocs();

// The route's path in OpenAPI's form: each capture group of Route::pattern
// becomes {name}, e.g. /api/v1/review/tasks/{task_id}/audio. `params` too
// few for the groups: the missing ones are named "param".
std::string OpenApiPath(const Route& route, const std::vector<std::string>& params);

// The document. A route without a description gets a bare operation (the
// test names it).
const nlohmann::json& OpenApiDocument();

}  // namespace earshot::http
