// The production reader on files the project's writer makes: every type,
// NULL pattern, codec and encoding, many pages and row groups, read back
// cell for cell; projections; and broken files, which must fail naming the
// file, never crash.
#include "lake/parquet/reader.h"

#include <gtest/gtest.h>

#include <random>

#include "model/error.h"
#include "parquet_test_support.h"

namespace sparkify::lake::parquet {
namespace {

using testing::Cell;
using testing::Row;
using testing::Value;

// The cells of `table`, row by row, as the writer's tests spell them.
std::vector<Row> rows_of(const ParquetTable& table) {
  std::vector<Row> rows(table.rows);
  for (size_t row_idx = 0; row_idx < table.rows; ++row_idx) {
    for (const ColumnData& column : table.columns) {
      if (column.is_null(row_idx)) {
        rows[row_idx].emplace_back();
        continue;
      }
      switch (column.descriptor().type) {
        case PhysicalType::kInt32: rows[row_idx].emplace_back(Value(column.int32_at(row_idx))); break;
        case PhysicalType::kInt64: rows[row_idx].emplace_back(Value(column.int64_at(row_idx))); break;
        case PhysicalType::kDouble: rows[row_idx].emplace_back(Value(column.double_at(row_idx))); break;
        case PhysicalType::kByteArray:
          rows[row_idx].emplace_back(Value(std::string(column.bytes_at(row_idx))));
          break;
      }
    }
  }
  return rows;
}

struct Layout {
  const char* name;
  WriterOptions options;
};

std::vector<Layout> layouts() {
  std::vector<Layout> out;
  for (Compression codec : {Compression::kNone, Compression::kSnappy, Compression::kZstd}) {
    const char* codec_name = codec == Compression::kNone ? "none" : codec == Compression::kSnappy ? "snappy" : "zstd";
    WriterOptions one_page;
    one_page.compression = codec;
    out.push_back({codec_name, one_page});
    WriterOptions plain = one_page;
    plain.dictionary = false;
    out.push_back({codec_name, plain});
    // Small pages and row groups: many of each, dictionaries per chunk.
    WriterOptions small = one_page;
    small.page_bytes = 300;
    small.max_row_group_rows = 97;
    out.push_back({codec_name, small});
    WriterOptions small_plain = small;
    small_plain.dictionary = false;
    out.push_back({codec_name, small_plain});
  }
  return out;
}

TEST(ParquetReader, ReadsBackEveryTypeCodecAndEncodingTheWriterWrites) {
  const auto schema = testing::every_type_schema();
  const auto rows = testing::every_type_rows(1000);
  for (const Layout& layout : layouts()) {
    SCOPED_TRACE(std::string(layout.name) + " dictionary=" + (layout.options.dictionary ? "on" : "off") +
                 " page_bytes=" + std::to_string(layout.options.page_bytes));
    std::string bytes = testing::write_to_memory(schema, layout.options, rows);
    ParquetTable table = read_parquet(bytes, "every.parquet");
    ASSERT_EQ(table.rows, rows.size());
    EXPECT_EQ(table.created_by, "sparkify-etl");
    EXPECT_EQ(testing::first_difference(rows, rows_of(table)), "");
  }
}

TEST(ParquetReader, DescribesTheSchemaAsWritten) {
  std::string bytes = testing::write_to_memory(testing::every_type_schema(), {}, testing::every_type_rows(3));
  std::vector<ColumnDescriptor> schema = read_parquet_schema(bytes, "every.parquet");
  const std::vector<Column> written_schema = testing::every_type_schema();
  ASSERT_EQ(schema.size(), written_schema.size());
  for (size_t column_idx = 0; column_idx < schema.size(); ++column_idx) {
    const Column& written = written_schema[column_idx];
    const ColumnDescriptor& read = schema[column_idx];
    SCOPED_TRACE(written.name);
    EXPECT_EQ(read.name, written.name);
    EXPECT_EQ(read.type, written.type);
    EXPECT_EQ(read.optional, written.optional);
    EXPECT_EQ(read.is_string, written.logical == LogicalType::kString);
    EXPECT_EQ(read.timestamp_unit.has_value(), written.logical == LogicalType::kTimestampMillis);
    if (read.timestamp_unit) {
      EXPECT_EQ(*read.timestamp_unit, TimeUnit::kMillis);
      EXPECT_TRUE(read.adjusted_to_utc);
    }
  }
}

TEST(ParquetReader, ReadsTheNamedColumnsInTheOrderAsked) {
  const auto rows = testing::every_type_rows(50);
  std::string bytes = testing::write_to_memory(testing::every_type_schema(), {}, rows);
  ReadOptions options;
  options.columns = {"text", "id", "at"};
  ParquetTable table = read_parquet(bytes, "every.parquet", options);
  ASSERT_EQ(table.columns.size(), 3u);
  EXPECT_EQ(table.columns[0].name(), "text");
  EXPECT_EQ(table.columns[1].name(), "id");
  ASSERT_NE(table.find("at"), nullptr);
  EXPECT_EQ(table.find("i64"), nullptr);
  std::vector<Row> projected;
  for (const Row& row : rows) projected.push_back({row[4], row[0], row[5]});
  EXPECT_EQ(testing::first_difference(projected, rows_of(table)), "");
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    if (rows[row_idx][5]) {
      EXPECT_EQ(table.columns[2].epoch_ms_at(row_idx), std::get<int64_t>(*rows[row_idx][5]));
    }
  }

  options.columns = {"id", "no_such_column"};
  try {
    read_parquet(bytes, "lake/t/part-00000.parquet", options);
    FAIL() << "a missing column was read";
  } catch (const JobError& error) {
    EXPECT_STREQ(error.what(), "lake/t/part-00000.parquet: no column no_such_column");
  }
}

TEST(ParquetReader, NullsOnlyAndEmptyFiles) {
  const std::vector<Column> schema = {{"id", PhysicalType::kInt64, LogicalType::kNone, false},
                                      {"name", PhysicalType::kByteArray, LogicalType::kString, true},
                                      {"score", PhysicalType::kDouble, LogicalType::kNone, true}};
  std::vector<Row> rows;
  for (int64_t row_idx = 0; row_idx < 300; ++row_idx) rows.push_back({Value(row_idx), Cell(), Cell()});
  for (bool dictionary : {true, false}) {
    WriterOptions options;
    options.dictionary = dictionary;
    ParquetTable table = read_parquet(testing::write_to_memory(schema, options, rows), "nulls.parquet");
    EXPECT_EQ(testing::first_difference(rows, rows_of(table)), "");
    EXPECT_EQ(table.columns[1].null_count(), 300u);
    EXPECT_FALSE(table.columns[0].has_nulls());
  }
  ParquetTable empty = read_parquet(testing::write_to_memory(schema, {}, {}), "empty.parquet");
  EXPECT_EQ(empty.rows, 0u);
  ASSERT_EQ(empty.columns.size(), 3u);
  EXPECT_EQ(empty.columns[1].size(), 0u);
}

TEST(ParquetReader, NullsFirstAppearingInALaterPageOrRowGroup) {
  const std::vector<Column> schema = {{"v", PhysicalType::kInt32, LogicalType::kNone, true},
                                      {"s", PhysicalType::kByteArray, LogicalType::kString, true}};
  std::vector<Row> rows;
  for (int32_t row_idx = 0; row_idx < 500; ++row_idx) {
    bool null = row_idx >= 400 && row_idx % 3 == 0;
    rows.push_back({null ? Cell() : Cell(Value(row_idx)), null ? Cell() : Cell(Value("s" + std::to_string(row_idx)))});
  }
  WriterOptions options;
  options.max_row_group_rows = 128;
  options.page_bytes = 200;
  ParquetTable table = read_parquet(testing::write_to_memory(schema, options, rows), "late.parquet");
  EXPECT_EQ(testing::first_difference(rows, rows_of(table)), "");
}

TEST(ParquetReader, RefusesToDecodeMoreThanItsLimit) {
  std::string bytes = testing::write_to_memory(testing::every_type_schema(), {}, testing::every_type_rows(2000));
  ReadOptions options;
  options.max_decoded_bytes = 100000;
  try {
    read_parquet(bytes, "big.parquet", options);
    FAIL() << "read past the limit";
  } catch (const JobError& error) {
    EXPECT_NE(std::string(error.what()).find("big.parquet: "), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("max_decoded_bytes"), std::string::npos) << error.what();
  }
}

// What a broken file must give: JobError naming it, nothing else.
void expect_fails_naming_the_file(std::string_view bytes, const std::string& what) {
  try {
    read_parquet(bytes, "broken.parquet");
  } catch (const JobError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("broken.parquet: ", 0), 0u) << what << ": " << error.what();
    return;
  } catch (const std::exception& error) {
    ADD_FAILURE() << what << ": " << typeid(error).name() << ": " << error.what();
    return;
  }
  // A damaged byte may also land where nothing checks it (a value, a
  // statistic): then the read may succeed.
}

TEST(ParquetReader, TruncatedFilesFailNamingTheFile) {
  std::string bytes = testing::write_to_memory(testing::every_type_schema(), {}, testing::every_type_rows(40));
  for (size_t length = 0; length < bytes.size(); ++length) {
    std::string_view cut(bytes.data(), length);
    try {
      read_parquet(cut, "cut.parquet");
      ADD_FAILURE() << "read a file cut at " << length << " of " << bytes.size() << " bytes";
    } catch (const JobError& error) {
      EXPECT_EQ(std::string(error.what()).rfind("cut.parquet: ", 0), 0u) << error.what();
    }
  }
  try {
    read_parquet(std::string_view(bytes.data(), bytes.size() - 1), "cut.parquet");
  } catch (const JobError& error) {
    EXPECT_STREQ(error.what(), "cut.parquet: not a whole Parquet file (no PAR1 at the end: truncated?)");
  }
}

TEST(ParquetReader, DamagedBytesFailNamingTheFileOrReadSomething) {
  std::mt19937 random(20240611);
  for (const Layout& layout : layouts()) {
    std::string bytes = testing::write_to_memory(testing::every_type_schema(), layout.options,
                                                 testing::every_type_rows(60));
    for (int trial = 0; trial < 150; ++trial) {
      std::string damaged = bytes;
      int flips = 1 + static_cast<int>(random() % 4);
      for (int flip = 0; flip < flips; ++flip) {
        damaged[random() % damaged.size()] ^= static_cast<char>(1 + random() % 255);
      }
      expect_fails_naming_the_file(damaged, layout.name);
    }
    // The footer's bytes alone, each set to every interesting value.
    uint32_t footer_length = 0;
    std::memcpy(&footer_length, bytes.data() + bytes.size() - 8, 4);
    for (size_t at = bytes.size() - 8 - footer_length; at < bytes.size() - 8; at += 3) {
      for (unsigned char value : {0x00, 0x7f, 0x80, 0xff, 0x15, 0x19}) {
        std::string damaged = bytes;
        damaged[at] = static_cast<char>(value);
        expect_fails_naming_the_file(damaged, "footer byte " + std::to_string(at));
      }
    }
  }
}

TEST(ParquetReader, NotParquetAtAll) {
  for (std::string text : {std::string(), std::string("PAR1"), std::string("PAR1PAR1PAR1"), std::string(100, 'x'),
                           std::string("PAR1") + std::string(4, '\xff') + "PAR1" + std::string("\xff\xff\xff\x7f", 4) +
                               "PAR1"}) {
    try {
      read_parquet(text, "x.parquet");
      FAIL() << "read '" << text << "'";
    } catch (const JobError& error) {
      EXPECT_EQ(std::string(error.what()).rfind("x.parquet: ", 0), 0u) << error.what();
    }
  }
}

}  // namespace
}  // namespace sparkify::lake::parquet
