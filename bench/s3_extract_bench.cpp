// The S3 side of bench/s3_extract.sh: uploads a set of small JSON files to
// an S3 server, and times extracting them back (list + read_many) the way
// the pipeline does.
//
//   s3_extract_bench upload  --endpoint URL --bucket B --prefix P
//                            (--count N | --from DIR) [--threads T]
//   s3_extract_bench extract --endpoint URL [--connections C] [--threads T] s3://B/P
//
// Credentials and region come as for the tool itself (AWS_ACCESS_KEY_ID, …).
// `extract` prints one line: "files=N bytes=B list_s=… read_s=… total_s=…".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "io/local_file_system.h"
#include "io/s3/s3_file_system.h"
#include "model/error.h"

namespace {

using sparkify::io::FileEntry;
using sparkify::io::S3FileSystem;
using sparkify::io::S3Options;
using sparkify::io::S3Overrides;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string command;
  std::string endpoint;
  std::string bucket;
  std::string prefix;
  std::string from;
  std::string root;
  size_t count = 0;
  size_t threads = 0;  // 0: 32 uploaders, or 4 on_file threads for extract
  size_t connections = 64;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "s3_extract_bench: %s\n"
               "usage: s3_extract_bench upload --endpoint URL --bucket B --prefix P (--count N | --from DIR) "
               "[--threads T]\n"
               "       s3_extract_bench extract --endpoint URL [--connections C] [--threads T] s3://B/P\n",
               why.c_str());
  std::exit(2);
}

Args parse(int argc, char** argv) {
  if (argc < 2) usage("no command");
  Args args;
  args.command = argv[1];
  for (int arg_idx = 2; arg_idx < argc; ++arg_idx) {
    std::string flag = argv[arg_idx];
    if (flag.rfind("--", 0) != 0) {
      args.root = flag;
      continue;
    }
    if (arg_idx + 1 >= argc) usage(flag + " needs a value");
    std::string value = argv[++arg_idx];
    if (flag == "--endpoint") {
      args.endpoint = value;
    } else if (flag == "--bucket") {
      args.bucket = value;
    } else if (flag == "--prefix") {
      args.prefix = value;
    } else if (flag == "--from") {
      args.from = value;
    } else if (flag == "--count") {
      args.count = std::stoul(value);
    } else if (flag == "--threads") {
      args.threads = std::max<size_t>(1, std::stoul(value));
    } else if (flag == "--connections") {
      args.connections = std::max<size_t>(1, std::stoul(value));
    } else {
      usage("unknown flag " + flag);
    }
  }
  return args;
}

S3Options options_for(const Args& args) {
  S3Overrides overrides;
  if (!args.endpoint.empty()) overrides.endpoint = args.endpoint;
  S3Options options =
      sparkify::io::resolve_s3_options(overrides, sparkify::io::process_getenv, sparkify::io::process_home());
  options.max_connections = args.connections;
  return options;
}

// A song record shaped like the Million Song Dataset subset's, about 250
// bytes, different for every index.
std::string song_json(size_t index) {
  char text[512];
  std::snprintf(text, sizeof text,
                "{\"num_songs\": 1, \"artist_id\": \"AR%016zX\", \"artist_latitude\": %.5f, "
                "\"artist_longitude\": %.5f, \"artist_location\": \"City %zu\", \"artist_name\": \"Artist %zu\", "
                "\"song_id\": \"SO%016zX\", \"title\": \"Song title number %zu\", \"duration\": %.5f, "
                "\"year\": %zu}",
                index * 7919, 35.0 + static_cast<double>(index % 1000) / 100.0,
                -120.0 + static_cast<double>(index % 700) / 10.0, index % 5000, index % 20000, index,
                index, 120.0 + static_cast<double>(index % 30000) / 100.0, 1950 + index % 70);
  return text;
}

// TR + 16 hex digits, under three letter folders as in song_data/A/B/C.
std::string song_key(const std::string& prefix, size_t index) {
  char name[64];
  std::snprintf(name, sizeof name, "%c/%c/%c/TR%016zX.json", 'A' + static_cast<int>(index % 3),
                'A' + static_cast<int>((index / 3) % 26), 'A' + static_cast<int>((index / 78) % 26), index);
  return prefix + "/" + name;
}

int upload(const Args& args) {
  if (args.bucket.empty() || args.prefix.empty() || (args.count == 0 && args.from.empty())) {
    usage("upload needs --bucket, --prefix and --count or --from");
  }
  S3FileSystem s3(options_for(args));
  s3.create_bucket(args.bucket);
  std::vector<FileEntry> sources;
  sparkify::io::LocalFileSystem local;
  if (!args.from.empty()) sources = local.list(args.from, {".json"});
  size_t count = args.from.empty() ? args.count : sources.size();
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::atomic<bool> failed{false};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  size_t thread_count = args.threads == 0 ? 32 : args.threads;
  for (size_t thread_idx = 0; thread_idx < thread_count; ++thread_idx) {
    threads.emplace_back([&] {
      try {
        for (size_t index = next++; index < count && !failed; index = next++) {
          if (args.from.empty()) {
            s3.write_file("s3://" + args.bucket + "/" + song_key(args.prefix, index), song_json(index));
          } else {
            std::string relative = sources[index].path.substr(args.from.size());
            while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
            auto bytes = local.read(sources[index].path);
            s3.write_file("s3://" + args.bucket + "/" + args.prefix + "/" + relative, bytes.view());
          }
        }
      } catch (...) {
        if (!failed.exchange(true)) error = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (error) std::rethrow_exception(error);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("uploaded=%zu seconds=%.3f\n", count, seconds);
  return 0;
}

int extract(const Args& args) {
  if (args.root.empty()) usage("extract needs an s3://bucket/prefix");
  auto start = Clock::now();
  S3FileSystem s3(options_for(args));
  std::vector<FileEntry> files = s3.list(args.root, {".json"});
  auto listed = Clock::now();
  std::atomic<uint64_t> bytes{0};
  std::atomic<uint64_t> braces{0};
  s3.read_many(files, args.threads == 0 ? 4 : args.threads, [&](size_t, sparkify::io::Bytes body) {
    // Touch every byte, as a parser would.
    uint64_t found = 0;
    for (char c : body.view()) found += c == '{';
    braces += found;
    bytes += body.size();
  });
  auto done = Clock::now();
  std::printf("files=%zu bytes=%llu list_s=%.3f read_s=%.3f total_s=%.3f\n", files.size(),
              static_cast<unsigned long long>(bytes.load()), std::chrono::duration<double>(listed - start).count(),
              std::chrono::duration<double>(done - listed).count(),
              std::chrono::duration<double>(done - start).count());
  if (braces.load() < files.size()) {
    std::fprintf(stderr, "s3_extract_bench: some files were not JSON objects\n");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  try {
    if (args.command == "upload") return upload(args);
    if (args.command == "extract") return extract(args);
    usage("unknown command " + args.command);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "s3_extract_bench: %s\n", error.what());
    return 1;
  }
}
