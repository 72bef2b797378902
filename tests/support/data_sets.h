// The extracts the pipeline tests load, each with the figures the star-schema
// contract (docs: shared/spec/star-schema.md) gives for it: the project's own
// fixtures, tests/fixtures/sparkify-mini, which every checkout has; and the
// real sample beside the checkout, ../shared/data/sparkify-sample (or
// SPARKIFY_SAMPLE), which a user's clone does not have.
//
// Parameterised tests run over data_sets(): on the fixtures always, and on the
// sample as an extra layer where it exists. Where it does not, no sample test
// is registered at all (none is listed or skipped); the list is made when the
// test binary starts, so CTest, which lists the tests when they are built,
// sees the sample's tests only when the build saw the sample.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "model/star.h"

namespace sparkify::testing {

struct DataSet {
  std::string name;  // "Fixtures" or "Sample": the suffix of a parameterised test's name
  std::string dir;   // holds song_data/ and log_data/
  uint64_t song_files = 0;
  uint64_t event_files = 0;
  uint64_t events = 0;        // event records read, every page and user
  model::TableCounts counts;  // staging and star tables after a full load

  std::string song_data() const { return dir + "/song_data"; }
  std::string log_data() const { return dir + "/log_data"; }
};

// tests/fixtures/sparkify-mini; its rows are fixture_star().
DataSet fixture_data_set();

// The fixtures, then the sample where it exists.
std::vector<DataSet> data_sets();

// The sample alone, or nothing where it is absent: for the checks of rows
// only the real extract has.
std::vector<DataSet> sample_data_sets();

// Every row of the five star tables that the contract gives for
// tests/fixtures/sparkify-mini, worked out by hand (tests/fixtures/README.md
// says what each file holds); each table sorted by its key.
model::StarSchema fixture_star();

inline void PrintTo(const DataSet& data_set, std::ostream* out) { *out << data_set.name; }

// For INSTANTIATE_TEST_SUITE_P: names each instance after its data set.
inline std::string data_set_test_name(const ::testing::TestParamInfo<DataSet>& info) { return info.param.name; }

}  // namespace sparkify::testing
