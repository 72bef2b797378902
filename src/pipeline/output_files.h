// The files a run writes beside its targets (the rejects file, the run
// report): checked before any work, written whole or not at all, and
// replaced or removed only when the tool wrote them.
#pragma once

#include <string>
#include <string_view>

namespace sparkify::pipeline {

// Throws UsageError naming `path` (`what` says which file it is) when it
// cannot be written: its folder is missing or not writable, or something
// other than a regular file is there (a folder, a link, a device).
void check_output_path(const std::string& path, std::string_view what);

// Writes `text` to a temporary file beside `path`, then renames it into
// place: a reader sees the old file or the new one. Throws IoError.
void write_file_atomically(const std::string& path, std::string_view text, std::string_view what);

}  // namespace sparkify::pipeline
