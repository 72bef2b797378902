// Small helpers for writing rows with lake::parquet::Writer: the column
// kinds the lake uses, and one put() per optional field type (NULL when
// empty). Shared by the star tables (lake_tables.h) and the kept state of
// incremental loads (lake_state.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lake/parquet/writer.h"

namespace sparkify::pipeline::parquet_rows {

using lake::parquet::Column;
using lake::parquet::LogicalType;
using lake::parquet::PhysicalType;
using lake::parquet::Writer;

inline Column text_column(std::string name, bool optional = true) {
  return {std::move(name), PhysicalType::kByteArray, LogicalType::kString, optional};
}
inline Column int32_column(std::string name, bool optional = true) {
  return {std::move(name), PhysicalType::kInt32, LogicalType::kNone, optional};
}
inline Column int64_column(std::string name, bool optional = true) {
  return {std::move(name), PhysicalType::kInt64, LogicalType::kNone, optional};
}
inline Column double_column(std::string name) {
  return {std::move(name), PhysicalType::kDouble, LogicalType::kNone, true};
}
inline Column timestamp_column(std::string name, bool optional = true) {
  return {std::move(name), PhysicalType::kInt64, LogicalType::kTimestampMillis, optional};
}

inline void put(Writer& writer, const std::optional<std::string_view>& value) {
  value ? writer.write_string(*value) : writer.write_null();
}
inline void put(Writer& writer, const std::optional<std::string>& value) {
  value ? writer.write_string(*value) : writer.write_null();
}
inline void put(Writer& writer, const std::optional<int32_t>& value) {
  value ? writer.write_int32(*value) : writer.write_null();
}
inline void put(Writer& writer, const std::optional<int64_t>& value) {
  value ? writer.write_int64(*value) : writer.write_null();
}
inline void put(Writer& writer, const std::optional<double>& value) {
  value ? writer.write_double(*value) : writer.write_null();
}

}  // namespace sparkify::pipeline::parquet_rows
