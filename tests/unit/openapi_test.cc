// The OpenAPI document against the route table (http/openapi.h): every route
// is in the document under its own method and path, and every operation of
// the document is a route that exists.
#include "http/openapi.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace earshot::http {
namespace {

const RouteDoc* DocFor(const std::string& name) {
  for (const RouteDoc& d : RouteDocs()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

TEST(OpenApi, PathsFollowTheRoutePatterns) {
  const Route audio{"GET", R"(/api/v1/review/tasks/([a-z0-9_]{1,64})/audio)", "x", Auth::kNone, {}, nullptr};
  EXPECT_EQ(OpenApiPath(audio, {"task_id"}), "/api/v1/review/tasks/{task_id}/audio");
  EXPECT_EQ(OpenApiPath(audio, {}), "/api/v1/review/tasks/{param}/audio");
  const Route asset{"GET", R"(/assets/([A-Za-z0-9_.\-]{1,64}))", "y", Auth::kNone, {}, nullptr};
  EXPECT_EQ(OpenApiPath(asset, {"file"}), "/assets/{file}");
}

TEST(OpenApi, EveryRouteIsDescribedAndInTheDocument) {
  const nlohmann::json& doc = OpenApiDocument();
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const Route& route : Routes()) {
    const RouteDoc* d = DocFor(route.name);
    ASSERT_NE(d, nullptr) << "route " << route.name << " has no description (openapi_routes.cc)";
    const std::string path = OpenApiPath(route, d->params);
    ASSERT_TRUE(doc["paths"].contains(path)) << route.name << ": " << path;
    const auto& op = doc["paths"][path];
    ASSERT_TRUE(op.contains(Lower(route.method))) << route.name << " " << route.method;
    EXPECT_EQ(op[Lower(route.method)]["operationId"], route.name);
    EXPECT_EQ(path.find("{param}"), std::string::npos) << route.name << " names no parameter";
    EXPECT_EQ(std::count(path.begin(), path.end(), '{'), static_cast<long>(d->params.size()))
        << route.name << ": more parameter names than capture groups";
  }
}

TEST(OpenApi, EveryOperationIsARouteThatExists) {
  std::set<std::string> names;
  for (const RouteDoc& d : RouteDocs()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name << " is described twice";
  }
  size_t operations = 0;
  for (const auto& [path, methods] : OpenApiDocument()["paths"].items()) {
    // A concrete path: each {name} replaced by a value its pattern admits.
    const std::string concrete = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "x1");
    for (const auto& [method, op] : methods.items()) {
      ++operations;
      bool found = false;
      for (const Route& route : Routes()) {
        if (Lower(route.method) == method && std::regex_match(concrete, std::regex(route.pattern))) {
          EXPECT_EQ(op["operationId"], route.name) << method << " " << path;
          found = true;
        }
      }
      EXPECT_TRUE(found) << method << " " << path << " is in the document but is no route";
    }
  }
  EXPECT_EQ(operations, Routes().size());
  for (const std::string& name : names) {
    bool routed = false;
    for (const Route& route : Routes()) routed = routed || name == route.name;
    EXPECT_TRUE(routed) << "the description of " << name << " names no route";
  }
}

}  // namespace
}  // namespace earshot::http
