// Encodes rows in PostgreSQL's binary COPY format (COPY … FROM STDIN
// (FORMAT binary)): each row its field count, then each field its length
// (-1 for NULL) and its bytes in network order. The server reads it without
// parsing text: integers and doubles as they are (a double's every bit),
// a timestamp as microseconds since 2000-01-01, text as its bytes (still
// checked and converted to the database's encoding).
#pragma once

#include <string>
#include <vector>

#include "model/records.h"
#include "model/star.h"
#include "transform/star_builder.h"

namespace sparkify::warehouse {

// What opens and what closes one COPY's data.
void append_copy_header(std::string& out);
void append_copy_trailer(std::string& out);

// Staging rows, in the staging tables' columns' order (postgres_sql.h).
void append_copy_rows(const std::vector<model::SongRecord>& songs, std::string& out);
void append_copy_rows(const std::vector<model::EventRecord>& events, std::string& out);

// The star tables' rows, in their columns' order; a start_time is the very
// instant of its epoch milliseconds.
void append_copy_row(const transform::SongplayView& play, std::string& out);
void append_copy_row(const model::UserRow& user, std::string& out);
void append_copy_row(const model::SongRow& song, std::string& out);
void append_copy_row(const model::ArtistRow& artist, std::string& out);
void append_copy_row(const model::TimeRow& time, std::string& out);

}  // namespace sparkify::warehouse
