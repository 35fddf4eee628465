// The web pages (reviewer workstation, privacy dashboard, staff console,
// sign-in) and their scripts and styles, served from the binary itself.
// Pages carry a strict Content-Security-Policy: scripts, styles, audio and
// API calls only from this origin, no inline script, no framing.
#include "http/routes.h"
#include "http/web_assets.h"

namespace earshot::http {
namespace {

Reply AssetReply(const WebAsset& asset, bool page) {
  Reply r;
  r.status = 200;
  r.content_type = asset.content_type;
  r.body.assign(asset.data, asset.size);
  if (page) {
    r.headers["Content-Security-Policy"] =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self' blob:; connect-src 'self'; font-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'";
    r.headers["X-Frame-Options"] = "DENY";
    r.headers["Cache-Control"] = "no-store";
  } else {
    r.headers["Cache-Control"] = "no-cache";
  }
  return r;
}

}  // namespace

Result<Reply> get_web_page(Call& c) {
  const std::string& path = c.req.path;
  const std::string name = path == "/" ? "index.html" : path.substr(1) + ".html";
  const WebAsset* asset = FindWebAsset(name);
  if (asset == nullptr) return NotFound("no_such_page", "no such page");
  return AssetReply(*asset, true);
}

Result<Reply> get_web_asset(Call& c) {
  const std::string name = c.Param(1);
  // Pages are served at their own paths only (with their headers).
  const WebAsset* asset = name.size() > 5 && name.compare(name.size() - 5, 5, ".html") == 0
                              ? nullptr
                              : FindWebAsset(name);
  if (asset == nullptr) return NotFound("no_such_asset", "no such asset");
  return AssetReply(*asset, false);
}

}  // namespace earshot::http
