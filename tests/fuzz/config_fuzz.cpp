// Fuzzes the dwh.cfg reader: config::IniFile::parse, and
// config::read_config_file on the same bytes written to a file. Beyond not
// crashing: a malformed file throws only UsageError, naming the source and a
// line of the file; a parsed one answers the same for any case of a name,
// never an empty value; read_config_file fails exactly when parse does, and
// its conninfo quotes every [CLUSTER] value so that libpq reads it back as is.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/ini.h"
#include "config/settings.h"
#include "fuzz_support.h"
#include "model/error.h"

namespace {

using sparkify::config::IniFile;

// A file in memory that read_config_file reads each input from, by its
// /proc/self/fd path: a real file, truncated and rewritten for each input,
// costs a disk flush each time on ext4 and cuts the fuzzer's speed tenfold.
class ScratchFile {
 public:
  ScratchFile() : fd_(memfd_create("dwh.cfg", 0)) {
    FUZZ_CHECK(fd_ >= 0);
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~ScratchFile() { close(fd_); }
  const std::string& path() const { return path_; }

  void write(std::string_view text) const {
    FUZZ_CHECK(ftruncate(fd_, 0) == 0);
    size_t written = 0;
    while (written < text.size()) {
      ssize_t count = pwrite(fd_, text.data() + written, text.size() - written, static_cast<off_t>(written));
      FUZZ_CHECK(count > 0);
      written += static_cast<size_t>(count);
    }
  }

 private:
  int fd_;
  std::string path_;
};

// libpq's keyword='value' list as conninfo_from_cluster writes it: one space
// between pairs, every value single-quoted with ' and \ backslashed.
std::map<std::string, std::string> read_conninfo(std::string_view text) {
  std::map<std::string, std::string> values;
  while (!text.empty()) {
    size_t equals = text.find('=');
    FUZZ_CHECK(equals != std::string_view::npos && equals > 0);
    std::string keyword(text.substr(0, equals));
    text.remove_prefix(equals + 1);
    FUZZ_CHECK(!text.empty() && text.front() == '\'');
    text.remove_prefix(1);
    std::string value;
    while (true) {
      FUZZ_CHECK(!text.empty());
      char c = text.front();
      text.remove_prefix(1);
      if (c == '\'') break;
      if (c == '\\') {
        FUZZ_CHECK(!text.empty());
        c = text.front();
        text.remove_prefix(1);
      }
      value += c;
    }
    FUZZ_CHECK(values.count(keyword) == 0);
    values[keyword] = value;
    if (!text.empty()) {
      FUZZ_CHECK(text.front() == ' ');
      text.remove_prefix(1);
      FUZZ_CHECK(!text.empty());
    }
  }
  return values;
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// The value `ini` gives, checked to be the same in lower case and never empty.
std::optional<std::string> get(const IniFile& ini, const std::string& section, const std::string& key) {
  std::optional<std::string> value = ini.get(section, key);
  FUZZ_CHECK(!value || !value->empty());
  FUZZ_CHECK(ini.get(lower(section), lower(key)) == value);
  FUZZ_CHECK(ini.has_section(lower(section)) == ini.has_section(section));
  FUZZ_CHECK(!value || ini.has_section(section));
  return value;
}

// The line number in "SOURCE:LINE: reason", or 0 when the message lacks one.
size_t line_of(const std::string& message, const std::string& source) {
  if (message.compare(0, source.size() + 1, source + ":") != 0) return 0;
  size_t line = 0;
  size_t pos = source.size() + 1;
  for (; pos < message.size() && message[pos] >= '0' && message[pos] <= '9'; ++pos) {
    line = line * 10 + static_cast<size_t>(message[pos] - '0');
    if (line > (1u << 30)) return 0;
  }
  if (message.compare(pos, 2, ": ") != 0 || message.size() <= pos + 2) return 0;
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sparkify;
  const std::string source = "dwh.cfg";
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t line_count = fuzz::split_lines(text).size();

  std::optional<IniFile> ini;
  std::string parse_error;
  try {
    ini = IniFile::parse(text, source);
  } catch (const UsageError& error) {
    parse_error = error.what();
    size_t line = line_of(parse_error, source);
    FUZZ_CHECK(line >= 1 && line <= line_count);
  }

  static const ScratchFile file;
  file.write(text);
  std::optional<config::FileSettings> settings;
  try {
    settings = config::read_config_file(file.path());
  } catch (const UsageError& error) {
    std::string message = error.what();
    FUZZ_CHECK(message.compare(0, file.path().size(), file.path()) == 0);
    if (ini) {
      // A file that parses fails only for a [CLUSTER] without the keys a
      // connection needs, and says so.
      FUZZ_CHECK(ini->has_section("CLUSTER"));
      FUZZ_CHECK(!get(*ini, "CLUSTER", "HOST") || !get(*ini, "CLUSTER", "DB_NAME") || !get(*ini, "CLUSTER", "DB_USER"));
      FUZZ_CHECK(message.find("[CLUSTER] needs HOST, DB_NAME and DB_USER") != std::string::npos);
      return 0;
    }
    // Otherwise the parser's message, naming the path instead of "dwh.cfg".
    FUZZ_CHECK(message.substr(file.path().size()) == parse_error.substr(source.size()));
  }
  if (!ini) {
    FUZZ_CHECK(!settings);
    return 0;
  }
  FUZZ_CHECK(settings);

  FUZZ_CHECK(settings->song_data == get(*ini, "S3", "SONG_DATA"));
  FUZZ_CHECK(settings->log_data == get(*ini, "S3", "LOG_DATA"));
  FUZZ_CHECK(settings->aws_key == get(*ini, "AWS", "KEY"));
  FUZZ_CHECK(settings->aws_secret == get(*ini, "AWS", "SECRET"));
  FUZZ_CHECK(settings->aws_region == get(*ini, "AWS", "REGION"));
  std::optional<std::string> arn = get(*ini, "IAM_ROLE", "ARN");
  FUZZ_CHECK(settings->iam_role == (arn ? arn : get(*ini, "IAM_ROLE", "IAM_ROLE_ARN")));

  FUZZ_CHECK(settings->conninfo.has_value() == ini->has_section("CLUSTER"));
  if (settings->conninfo) {
    std::map<std::string, std::string> values = read_conninfo(*settings->conninfo);
    const std::pair<const char*, const char*> keywords[] = {
        {"host", "HOST"}, {"port", "DB_PORT"}, {"dbname", "DB_NAME"}, {"user", "DB_USER"}, {"password", "DB_PASSWORD"}};
    size_t present = 0;
    for (const auto& [keyword, key] : keywords) {
      std::optional<std::string> value = get(*ini, "CLUSTER", key);
      auto found = values.find(keyword);
      FUZZ_CHECK(value.has_value() == (found != values.end()));
      if (value) {
        FUZZ_CHECK(found->second == *value);
        ++present;
      }
    }
    FUZZ_CHECK(values.size() == present);
  }
  return 0;
}
