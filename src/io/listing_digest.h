// What identifies a listing of source files, so that a daily load can tell
// that the song files are as the last load left them without reading the
// ledger of every one of them.
#pragma once

#include <span>
#include <string>

#include "io/file_system.h"

namespace sparkify::io {

// Two 64-bit FNV-1a hashes (different offsets) of every file's path, size
// and version, in order, as 32 hex digits. A listing that changes in any
// file (added, removed, rewritten) changes it.
std::string listing_digest(std::span<const FileEntry> files);

}  // namespace sparkify::io
