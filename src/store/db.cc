#include "store/db.h"

#include <cmath>

namespace earshot::store {

int64_t Row::Int(size_t i) const {
  const Value& v = cols_.at(i);
  if (auto* p = std::get_if<int64_t>(&v)) return *p;
  if (auto* p = std::get_if<double>(&v)) return static_cast<int64_t>(std::llround(*p));
  if (auto* p = std::get_if<std::string>(&v)) return std::strtoll(p->c_str(), nullptr, 10);
  return 0;
}

double Row::Real(size_t i) const {
  const Value& v = cols_.at(i);
  if (auto* p = std::get_if<double>(&v)) return *p;
  if (auto* p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  if (auto* p = std::get_if<std::string>(&v)) return std::strtod(p->c_str(), nullptr);
  return 0.0;
}

std::string Row::Text(size_t i) const {
  const Value& v = cols_.at(i);
  if (auto* p = std::get_if<std::string>(&v)) return *p;
  if (auto* p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto* p = std::get_if<double>(&v)) return std::to_string(*p);
  return "";
}

Result<Row> QueryOne(Tx& tx, std::string_view sql, const Params& params, const std::string& what) {
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  if (rows.empty()) return NotFound("not_found", what + " not found");
  return std::move(rows.front());
}

}  // namespace earshot::store
