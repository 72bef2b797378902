// Transparent gzip: the sources may be stored as *.json.gz.
#pragma once

#include <string>

#include "io/bytes.h"

namespace sparkify::io {

// True when `bytes` start with the gzip magic number.
bool is_gzip(const Bytes& bytes);

// Inflates a gzip (possibly multi-member) stream. Throws IoError naming
// `source` when the stream is corrupt or truncated.
Bytes gunzip(const Bytes& bytes, const std::string& source);

// Returns `bytes` inflated when they are gzip, else unchanged.
Bytes maybe_gunzip(Bytes bytes, const std::string& source);

}  // namespace sparkify::io
