#include "lake/lake_folder.h"

#include <algorithm>
#include <set>

#include "model/catalog.h"

namespace sparkify::lake {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A file a table folder of ours holds: Parquet files (in partition folders
// named key=value) and the _SUCCESS marker.
bool is_table_file(const std::string& relative) {
  size_t slash = relative.find('/');
  if (slash == std::string::npos) return false;
  std::string table = relative.substr(0, slash);
  const auto& tables = lake_table_names();
  if (std::find(tables.begin(), tables.end(), table) == tables.end()) return false;
  std::string rest = relative.substr(slash + 1);
  if (rest == "_SUCCESS") return true;
  if (!ends_with(rest, ".parquet")) return false;
  // Every folder between the table and the file is a partition.
  size_t start = 0;
  for (size_t next; (next = rest.find('/', start)) != std::string::npos; start = next + 1) {
    if (rest.substr(start, next - start).find('=') == std::string::npos) return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& lake_table_names() {
  static const std::vector<std::string> tables = model::star_table_names();
  return tables;
}

LakeFolderKind classify_lake_folder(io::FileSystem& fs, const std::string& root, std::string* reason) {
  if (!fs.exists(root)) return LakeFolderKind::kNew;
  if (fs.exists(io::join_path(root, kLakeMarker))) return LakeFolderKind::kLake;
  // Hidden files are not listed: the tool never touches them, so a folder
  // of hidden files only is new to it.
  std::vector<io::FileEntry> files = fs.list(root, {});
  if (files.empty()) return LakeFolderKind::kNew;
  std::string prefix = root;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  prefix += '/';
  std::set<std::string> tables_with_files;
  std::set<std::string> tables_with_success;
  for (const auto& file : files) {
    std::string relative = file.path.rfind(prefix, 0) == 0 ? file.path.substr(prefix.size()) : file.path;
    // The lock of a first run that failed before its commit.
    if (relative == kLakeLock) continue;
    if (!is_table_file(relative)) {
      if (reason) *reason = file.path;
      return LakeFolderKind::kForeign;
    }
    std::string table = relative.substr(0, relative.find('/'));
    tables_with_files.insert(table);
    if (relative == table + "/_SUCCESS") tables_with_success.insert(table);
  }
  for (const auto& table : tables_with_files) {
    if (tables_with_success.count(table) == 0) {
      if (reason) *reason = io::join_path(root, table) + " (a table folder without _SUCCESS)";
      return LakeFolderKind::kForeign;
    }
  }
  return LakeFolderKind::kLegacy;
}

}  // namespace sparkify::lake
