// Encodes staging records in PostgreSQL's COPY text format: tab-separated
// columns in the staging tables' order, \N for NULL, backslash escapes for
// backslash, tab, newline and carriage return; doubles in the shortest form
// that reads back as the same value.
#pragma once

#include <string>
#include <vector>

#include "model/records.h"

namespace sparkify::warehouse {

void append_copy_rows(const std::vector<model::SongRecord>& songs, std::string& out);
void append_copy_rows(const std::vector<model::EventRecord>& events, std::string& out);

}  // namespace sparkify::warehouse
