#include "pipeline/rejects_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "model/error.h"
#include "pipeline/output_files.h"

namespace sparkify::pipeline {


namespace {

constexpr std::string_view kRecordStart = "{\"source\":";

// A regular file (not a link) that starts as every line of ours does.
bool is_our_rejects_file(const std::string& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return false;
  std::ifstream in(path, std::ios::binary);
  std::string start(kRecordStart.size(), '\0');
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  return in && start == kRecordStart;
}

}  // namespace

void check_rejects_path(const std::string& path) {
  check_output_path(path, "rejects file");
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0 && !is_our_rejects_file(path)) {
    throw UsageError("the rejects file " + path + " exists and is not one this tool wrote; refusing to replace " +
                     "it (choose another --rejects path)");
  }
}

void remove_rejects_file(const std::string& path) {
  if (is_our_rejects_file(path)) ::unlink(path.c_str());
}

void write_rejects_file(model::Rejects& rejects, const std::string& path) {
  std::sort(rejects.begin(), rejects.end(), [](const model::Reject& a, const model::Reject& b) {
    return a.source != b.source ? a.source < b.source : a.line < b.line;
  });
  std::string text;
  for (const auto& reject : rejects) {
    text += std::string(kRecordStart) + json_quote(reject.source) + ",\"line\":" + std::to_string(reject.line) +
            ",\"field\":" + json_quote(reject.field) + ",\"reason\":" + json_quote(reject.reason) +
            ",\"record\":" + json_quote(reject.text) + "}\n";
  }
  write_file_atomically(path, text, "rejects file");
}

}  // namespace sparkify::pipeline
