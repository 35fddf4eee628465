#include "http/web_assets.h"

namespace earshot::http {

const WebAsset* FindWebAsset(std::string_view name) {
  for (const WebAsset& asset : WebAssets()) {
    if (name == asset.name) return &asset;
  }
  return nullptr;
}

}  // namespace earshot::http
