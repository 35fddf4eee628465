#include "staff/qr.h"

#include <qrencode.h>

#include <memory>

namespace earshot::staff {

std::optional<QrMatrix> EncodeQr(const std::string& text) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!qr) return std::nullopt;
  QrMatrix m;
  m.width = qr->width;
  m.dark.resize(static_cast<size_t>(m.width) * m.width);
  for (size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (qr->data[i] & 1) != 0;
  return m;
}

std::optional<std::string> QrSvg(const std::string& text) {
  auto m = EncodeQr(text);
  if (!m) return std::nullopt;
  const int quiet = 4, size = m->width + 2 * quiet;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < m->width; ++y) {
    for (int x = 0; x < m->width; ++x) {
      if (m->Dark(x, y)) {
        svg += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
      }
    }
  }
  return svg + "\"/></svg>";
}

}  // namespace earshot::staff
