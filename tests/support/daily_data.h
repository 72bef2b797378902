// What the tests of daily loads share: the data sets they split into days
// (the fixtures, the sample where it exists, and generated data of five
// days), and the comparisons that set songplay_id aside.
#pragma once

#include <string>
#include <vector>

#include "model/star.h"
#include "support/data_sets.h"

namespace sparkify::testing {

// data_sets() and "Generated": five days, non-ASCII names, made on first
// use under the build folder by make_daily_data().
std::vector<DataSet> daily_data_sets();
void make_daily_data(const DataSet& data);

// The star with songplay_id left out: plays in order of their other fields.
model::StarSchema without_play_ids(model::StarSchema star);

// The files below `root`, relative, sorted.
std::vector<std::string> files_below(const std::string& root);

// Copies `relative` from below `from_root` to the same place below `to_root`.
void copy_into(const std::string& from_root, const std::string& relative, const std::string& to_root);

}  // namespace sparkify::testing
