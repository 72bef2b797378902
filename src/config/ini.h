// A small INI reader for dwh.cfg: [SECTION] headers, KEY=VALUE lines,
// '#' and ';' comments. Section and key names are case-insensitive (kept
// upper-case); a value wrapped in matching quotes loses them, as the
// classic configparser-based pipelines expect ('s3://udacity-dend/log_data').
#pragma once

#include <map>
#include <optional>
#include <string>

namespace sparkify::config {

class IniFile {
 public:
  // Throws UsageError naming the file and line of a malformed line, or the
  // file when it cannot be opened or read or is a folder.
  static IniFile load(const std::string& path);
  static IniFile parse(const std::string& text, const std::string& source);

  // The value, or nullopt when the section or key is absent or empty.
  std::optional<std::string> get(const std::string& section, const std::string& key) const;
  bool has_section(const std::string& section) const;

 private:
  std::map<std::string, std::map<std::string, std::string>> sections_;
};

}  // namespace sparkify::config
