// QR codes of TOTP provisioning URIs (libqrencode): the module matrix for the
// terminal (earshot user add) and an SVG for the admin console.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace earshot::staff {

struct QrMatrix {
  int width = 0;
  std::vector<bool> dark;  // width * width, row-major
  bool Dark(int x, int y) const {
    return x >= 0 && y >= 0 && x < width && y < width && dark[y * width + x];
  }
};

// nullopt if the text cannot be encoded (too long).
std::optional<QrMatrix> EncodeQr(const std::string& text);

// A standalone SVG of the code with a 4-module quiet zone, dark on white.
std::optional<std::string> QrSvg(const std::string& text);

}  // namespace earshot::staff
