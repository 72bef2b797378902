#include "pipeline/output_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "model/error.h"

namespace sparkify::pipeline {

void check_output_path(const std::string& path, std::string_view what) {
  std::string name(what);
  if (path.empty()) throw UsageError("the " + name + " path is empty");
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    throw UsageError("the " + name + " path " + path + " is not a regular file (a folder, link or device); " +
                     "refusing to write there");
  }
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw UsageError("cannot write the " + name + " " + path + ": its folder " + folder.string() + ": " +
                     std::strerror(errno));
  }
}

void write_file_atomically(const std::string& path, std::string_view text, std::string_view what) {
  std::filesystem::path target(path);
  std::random_device seed;
  std::filesystem::path temp = target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                                       std::to_string(::getpid()) + "-" + std::to_string(seed()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      throw IoError("cannot write the " + std::string(what) + " " + path);
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw IoError("cannot write the " + std::string(what) + " " + path + ": " + std::strerror(error));
  }
}

}  // namespace sparkify::pipeline
