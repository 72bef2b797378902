// The read floor of bench/lake_vs_duckdb.sh: what any tool must spend to
// get the input into memory as parsed JSON, and nothing else. It lists
// the given folders, reads every file and simdjson-parses it whole (every
// document of a JSON-lines file) on --threads threads, each taking the
// next file, and prints what it did and what it cost:
//
//   read_floor [--threads T] FOLDER...
//   files=N bytes=B documents=D wall_s=… user_s=… sys_s=…
//
// It uses none of the tool's code, so that the tool's own reading is
// measured against it, not with it.
#include <fcntl.h>
#include <simdjson.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace {

double seconds(const timeval& value) { return static_cast<double>(value.tv_sec) + value.tv_usec / 1e6; }

// Reads `path` into `buffer`, reused from file to file (a fresh buffer
// per file would measure the allocator's page faults), with simdjson's
// padding after the text; returns the text's size, or -1 if it cannot.
ssize_t read_file(const std::string& path, std::vector<char>& buffer) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    return -1;
  }
  size_t size = static_cast<size_t>(info.st_size);
  if (buffer.size() < size + simdjson::SIMDJSON_PADDING) buffer.resize(size + simdjson::SIMDJSON_PADDING);
  size_t done = 0;
  while (done < size) {
    ssize_t got = ::read(fd, buffer.data() + done, size - done);
    if (got <= 0) break;
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  return done == size ? static_cast<ssize_t>(size) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  size_t threads = 2;
  std::vector<std::string> folders;
  for (int idx = 1; idx < argc; ++idx) {
    std::string arg = argv[idx];
    if (arg == "--threads" && idx + 1 < argc) {
      threads = std::max(1, std::atoi(argv[++idx]));
    } else {
      folders.push_back(arg);
    }
  }
  if (folders.empty()) {
    std::fprintf(stderr, "usage: read_floor [--threads T] FOLDER...\n");
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  std::vector<std::string> files;
  for (const auto& folder : folders) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
  }
  std::atomic<size_t> next{0};
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> documents{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    simdjson::dom::parser parser;
    std::vector<char> buffer;
    uint64_t my_bytes = 0;
    uint64_t my_documents = 0;
    for (size_t file = next++; file < files.size(); file = next++) {
      ssize_t size = read_file(files[file], buffer);
      if (size < 0) {
        failed = true;
        continue;
      }
      my_bytes += static_cast<uint64_t>(size);
      simdjson::dom::document_stream stream;
      if (parser.parse_many(reinterpret_cast<const uint8_t*>(buffer.data()), static_cast<size_t>(size)).get(stream)) {
        failed = true;
        continue;
      }
      for (auto document : stream) {
        if (document.error()) {
          failed = true;
          break;
        }
        ++my_documents;
      }
    }
    bytes += my_bytes;
    documents += my_documents;
  };
  std::vector<std::thread> workers;
  for (size_t idx = 1; idx < threads; ++idx) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("files=%zu bytes=%llu documents=%llu wall_s=%.3f user_s=%.3f sys_s=%.3f\n", files.size(),
              static_cast<unsigned long long>(bytes.load()), static_cast<unsigned long long>(documents.load()), wall,
              seconds(usage.ru_utime), seconds(usage.ru_stime));
  if (failed) {
    std::fprintf(stderr, "read_floor: a file could not be read or parsed\n");
    return 1;
  }
  return 0;
}
