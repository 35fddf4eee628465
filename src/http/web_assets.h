// The web pages and their scripts, styles and the bundled charting library,
// compiled into the binary (cmake/embed_assets.cmake): nothing is read from
// disk or fetched at run time, so no request path can reach a file.
#pragma once

#include <string_view>
#include <vector>

namespace earshot::http {

struct WebAsset {
  const char* name;          // "review.html", "review.js", "uPlot.iife.min.js"
  const char* content_type;  // "text/html; charset=utf-8"
  const char* data;
  size_t size;
};

const std::vector<WebAsset>& WebAssets();

// The asset called `name`, or nullptr.
const WebAsset* FindWebAsset(std::string_view name);

}  // namespace earshot::http
