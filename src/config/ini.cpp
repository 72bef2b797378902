#include "config/ini.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/error.h"

namespace sparkify::config {
namespace {

std::string trim(std::string text) {
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  text.erase(text.begin(), std::find_if(text.begin(), text.end(), not_space));
  text.erase(std::find_if(text.rbegin(), text.rend(), not_space).base(), text.end());
  return text;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string unquote(std::string value) {
  if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') && value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

}  // namespace

IniFile IniFile::load(const std::string& path) {
  // A folder opens as a stream that reads nothing, which would pass for an
  // empty file and drop every setting the user meant to give.
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw UsageError("config file " + path + " is a folder, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read config file " + path);
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UsageError("cannot read config file " + path);
  return parse(text.str(), path);
}

IniFile IniFile::parse(const std::string& text, const std::string& source) {
  IniFile ini;
  std::istringstream lines(text);
  std::string line;
  std::string section;
  int line_number = 0;
  while (std::getline(lines, line)) {
    ++line_number;
    std::string content = trim(line);
    if (content.empty() || content[0] == '#' || content[0] == ';') continue;
    if (content.front() == '[') {
      if (content.back() != ']') {
        throw UsageError(source + ":" + std::to_string(line_number) + ": a section header must end with ']'");
      }
      section = upper(trim(content.substr(1, content.size() - 2)));
      ini.sections_[section];
      continue;
    }
    auto separator = content.find_first_of("=:");
    if (separator == std::string::npos) {
      throw UsageError(source + ":" + std::to_string(line_number) + ": expected KEY=VALUE");
    }
    if (section.empty()) {
      throw UsageError(source + ":" + std::to_string(line_number) + ": a key before any [SECTION]");
    }
    std::string key = upper(trim(content.substr(0, separator)));
    ini.sections_[section][key] = unquote(trim(content.substr(separator + 1)));
  }
  return ini;
}

std::optional<std::string> IniFile::get(const std::string& section, const std::string& key) const {
  auto section_it = sections_.find(upper(section));
  if (section_it == sections_.end()) return std::nullopt;
  auto key_it = section_it->second.find(upper(key));
  if (key_it == section_it->second.end() || key_it->second.empty()) return std::nullopt;
  return key_it->second;
}

bool IniFile::has_section(const std::string& section) const { return sections_.count(upper(section)) > 0; }

}  // namespace sparkify::config
