// Partition values as folder names: a rule of the lake's layout that two
// modules apply. The lake names its folders `column=ESCAPED` with it, and the
// song reader rejects a record whose folder could not exist, so that the
// warehouse and the lake take the same rows.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sparkify::model {

// Escapes a partition value as Hive's FileUtils.escapePathName does: each
// of  " # % ' * / : = ? \ { [ ] ^, DEL and the control characters becomes
// %XX (upper-case hex). Also the space, which some object stores and tools
// mangle. Non-ASCII text stays UTF-8, as Hive and Spark leave it: their
// readers decode %XX one byte per character, which would break multi-byte
// characters.
std::string escape_partition_value(std::string_view value);

// The longest folder name a local file system takes (NAME_MAX on Linux,
// macOS and the BSDs).
inline constexpr size_t kMaxFolderNameBytes = 255;

// The length in bytes of the folder `column=ESCAPED(value)`.
size_t partition_folder_name_size(std::string_view column, std::string_view value);

}  // namespace sparkify::model
