// Encodes staging records as JSON lines whose keys are the staging tables'
// column names, for Redshift's COPY … FORMAT AS JSON 'auto': one object per
// line, a NULL left out (COPY loads a missing key as NULL), strings escaped
// as JSON wants, doubles in the shortest form that reads back as the same
// value.
#pragma once

#include <string>
#include <vector>

#include "model/records.h"

namespace sparkify::warehouse {

void append_json_rows(const std::vector<model::SongRecord>& songs, std::string& out);
void append_json_rows(const std::vector<model::EventRecord>& events, std::string& out);

}  // namespace sparkify::warehouse
