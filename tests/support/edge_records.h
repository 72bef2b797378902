// Hand-made records that exercise every tie-break of the star-schema
// contract: repeated song_ids, several songs matching one event, duplicate
// and conflicting events, users whose latest events tie, NULLs in ordering
// keys, ISO-week edges, text that needs COPY escaping. The warehouse and
// the in-process builder must agree on them row for row.
#pragma once

#include <vector>

#include "model/records.h"

namespace sparkify::testing {

std::vector<model::SongRecord> edge_songs();
std::vector<model::EventRecord> edge_events();

}  // namespace sparkify::testing
