// Helpers for the Parquet writer's tests: cells as values, an in-memory
// output stream, and a way to write rows of cells through a Writer.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "io/file_system.h"
#include "lake/parquet/writer.h"

namespace sparkify::lake::parquet::testing {

// One non-null value; the alternative matches the column's physical type.
using Value = std::variant<int32_t, int64_t, double, std::string>;
// One cell of a row: nullopt is NULL.
using Cell = std::optional<Value>;
using Row = std::vector<Cell>;

// True when `a` and `b` hold the same value; doubles compare by bits, so
// NaN equals NaN and -0.0 differs from 0.0.
inline bool same_cell(const Cell& a, const Cell& b) {
  if (!a || !b) return !a && !b;
  if (a->index() != b->index()) return false;
  if (const double* left = std::get_if<double>(&*a)) {
    double right = std::get<double>(*b);
    return std::memcmp(left, &right, sizeof(double)) == 0;
  }
  return *a == *b;
}

inline std::string describe(const Cell& cell) {
  if (!cell) return "NULL";
  return std::visit(
      [](const auto& value) -> std::string {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return "'" + value + "' (" + std::to_string(value.size()) + " bytes)";
        } else if constexpr (std::is_same_v<T, double>) {
          char text[64];
          std::snprintf(text, sizeof(text), "%.17g (double)", value);
          return text;
        } else {
          return std::to_string(value) + (std::is_same_v<T, int32_t> ? " (int32)" : " (int64)");
        }
      },
      *cell);
}

// "" when the two tables hold the same cells, else where they first differ.
inline std::string first_difference(const std::vector<Row>& expected, const std::vector<Row>& actual) {
  if (expected.size() != actual.size()) {
    return "expected " + std::to_string(expected.size()) + " rows, got " + std::to_string(actual.size());
  }
  for (size_t row_idx = 0; row_idx < expected.size(); ++row_idx) {
    if (expected[row_idx].size() != actual[row_idx].size()) return "row " + std::to_string(row_idx) + ": width";
    for (size_t column_idx = 0; column_idx < expected[row_idx].size(); ++column_idx) {
      if (!same_cell(expected[row_idx][column_idx], actual[row_idx][column_idx])) {
        return "row " + std::to_string(row_idx) + " column " + std::to_string(column_idx) + ": expected " +
               describe(expected[row_idx][column_idx]) + ", got " + describe(actual[row_idx][column_idx]);
      }
    }
  }
  return "";
}

// Collects the bytes written in memory. `bytes`, `closed` and `aborted`
// outlive the stream (the writer owns and destroys it).
class MemoryOutputStream final : public io::OutputStream {
 public:
  struct Sink {
    std::string bytes;
    bool closed = false;
    bool aborted = false;
  };
  explicit MemoryOutputStream(std::shared_ptr<Sink> sink) : sink_(std::move(sink)) {}
  void write(std::string_view bytes) override { sink_->bytes.append(bytes); }
  void close() override { sink_->closed = true; }
  void abort() override { sink_->aborted = true; }
  uint64_t bytes_written() const override { return sink_->bytes.size(); }

 private:
  std::shared_ptr<Sink> sink_;
};

// Writes each cell with the write_*() its alternative calls for, then
// end_row(), for every row.
inline void write_rows(Writer& writer, const std::vector<Row>& rows) {
  for (const Row& row : rows) {
    for (const Cell& cell : row) {
      if (!cell) {
        writer.write_null();
        continue;
      }
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, int32_t>) {
              writer.write_int32(value);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              writer.write_int64(value);
            } else if constexpr (std::is_same_v<T, double>) {
              writer.write_double(value);
            } else {
              writer.write_string(value);
            }
          },
          *cell);
    }
    writer.end_row();
  }
}

// The whole file for `rows` written with `options`, in memory.
inline std::string write_to_memory(const std::vector<Column>& schema, const WriterOptions& options,
                                   const std::vector<Row>& rows) {
  auto sink = std::make_shared<MemoryOutputStream::Sink>();
  Writer writer(schema, options, std::make_unique<MemoryOutputStream>(sink));
  write_rows(writer, rows);
  writer.close();
  return sink->bytes;
}

// Rows that use every type, both repetitions, NULLs and the awkward values:
// extremes, -0.0, NaN, infinities, empty, long and non-ASCII text, bytes
// that are not text.
inline std::vector<Column> every_type_schema() {
  using P = PhysicalType;
  using L = LogicalType;
  return {{"id", P::kInt32, L::kNone, false},        {"i32", P::kInt32, L::kNone, true},
          {"i64", P::kInt64, L::kNone, true},        {"real", P::kDouble, L::kNone, true},
          {"text", P::kByteArray, L::kString, true}, {"at", P::kInt64, L::kTimestampMillis, true},
          {"raw", P::kByteArray, L::kNone, true},    {"name", P::kByteArray, L::kString, false},
          {"big", P::kInt64, L::kNone, false},       {"ratio", P::kDouble, L::kNone, false}};
}

inline std::vector<Row> every_type_rows(size_t count) {
  const std::vector<Cell> i32s = {Value(int32_t{0}), Value(std::numeric_limits<int32_t>::min()),
                                  Value(std::numeric_limits<int32_t>::max()), Value(int32_t{-1}), Cell()};
  const std::vector<Cell> i64s = {Value(int64_t{0}),
                                  Value(std::numeric_limits<int64_t>::min()),
                                  Value(std::numeric_limits<int64_t>::max()),
                                  Value(int64_t{1} << 40),
                                  Cell(),
                                  Value(int64_t{-7})};
  const std::vector<Cell> reals = {Value(0.0),
                                   Value(-0.0),
                                   Value(std::numeric_limits<double>::quiet_NaN()),
                                   Value(std::numeric_limits<double>::infinity()),
                                   Value(-std::numeric_limits<double>::infinity()),
                                   Value(std::numeric_limits<double>::denorm_min()),
                                   Value(std::numeric_limits<double>::max()),
                                   Value(0.1),
                                   Cell()};
  const std::vector<Cell> texts = {
      Value(std::string("")),         Value(std::string("Zürich")),
      Value(std::string("東京")),     Cell(),
      Value(std::string(70000, 'x')), Value(std::string("tab\tnew\nline \"quote\" 'apostrophe' \\")),
      Value(std::string("🎵 emoji"))};
  const std::vector<Cell> instants = {Value(int64_t{1541105830796}), Value(int64_t{0}), Cell(),
                                      Value(int64_t{-86400000}), Value(int64_t{253402300799999})};
  const std::vector<Cell> raws = {Value(std::string("\0\x01\xff", 3)), Cell(), Value(std::string()),
                                  Value(std::string("\x80\x81 not utf-8"))};
  std::vector<Row> rows;
  for (size_t row_idx = 0; row_idx < count; ++row_idx) {
    rows.push_back({Value(static_cast<int32_t>(row_idx)), i32s[row_idx % i32s.size()], i64s[row_idx % i64s.size()],
                    reals[row_idx % reals.size()], texts[row_idx % texts.size()], instants[row_idx % instants.size()],
                    raws[row_idx % raws.size()], Value("name " + std::to_string(row_idx % 13)),
                    Value(static_cast<int64_t>(row_idx) * 1000003), Value(static_cast<double>(row_idx) / 7)});
  }
  return rows;
}

}  // namespace sparkify::lake::parquet::testing
