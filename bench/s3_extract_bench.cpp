// The S3 side of bench/s3_extract.sh and bench/redshift_staging.sh: uploads
// a set of small JSON files to an S3 server, times extracting them back
// (list + read_many) the way the pipeline does, and times Redshift's
// compacted staging of them (list, read, parse, JSON lines, gzip parts
// uploaded with their manifest) with the pipeline's own code.
//
//   s3_extract_bench upload  --endpoint URL --bucket B --prefix P
//                            (--count N | --from DIR) [--threads T]
//   s3_extract_bench extract --endpoint URL [--connections C] [--threads T] s3://B/P
//   s3_extract_bench stage   --endpoint URL [--connections C] [--threads T]
//                            [--slices S] [--to s3://B/FOLDER] s3://B/P
//
// Credentials and region come as for the tool itself (AWS_ACCESS_KEY_ID, …).
// `extract` prints one line: "files=N bytes=B list_s=… read_s=… total_s=…
// user_s=… sys_s=…" (user and system CPU seconds of the process over the
// timed part). `stage` prints the same fields and records=, finish_s= (the
// last parts compressed and uploaded, the manifest written), encode_s= and
// compress_s= (the consumer thread's time in append_json_rows and
// StagingParts::add), parts= and compressed_bytes=. It writes the parts to
// --to (default s3://B/staging-bench-PID/staging_songs) and removes them
// after the clock has stopped.
#include <sys/resource.h>
#include <unistd.h>

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
#include "pipeline/extract.h"
#include "warehouse/json_rows.h"
#include "warehouse/staging_parts.h"

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
  std::string to;
  size_t count = 0;
  int slices = 2;
  size_t threads = 0;  // 0: 32 uploaders, or 4 on_file threads for extract
  size_t connections = 64;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr,
               "s3_extract_bench: %s\n"
               "usage: s3_extract_bench upload --endpoint URL --bucket B --prefix P (--count N | --from DIR) "
               "[--threads T]\n"
               "       s3_extract_bench extract --endpoint URL [--connections C] [--threads T] s3://B/P\n"
               "       s3_extract_bench stage --endpoint URL [--connections C] [--threads T] [--slices S] "
               "[--to s3://B/FOLDER] s3://B/P\n",
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
    } else if (flag == "--to") {
      args.to = value;
    } else if (flag == "--slices") {
      args.slices = std::max(1, std::stoi(value));
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

// User and system CPU seconds of the whole process (every thread) so far.
struct CpuTimes {
  double user_s = 0;
  double sys_s = 0;

  static CpuTimes now() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& value) { return static_cast<double>(value.tv_sec) + value.tv_usec / 1e6; };
    return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
  }
  CpuTimes operator-(const CpuTimes& earlier) const { return {user_s - earlier.user_s, sys_s - earlier.sys_s}; }
};

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

int extract(const Args& args) {
  if (args.root.empty()) usage("extract needs an s3://bucket/prefix");
  CpuTimes cpu_start = CpuTimes::now();
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
  CpuTimes cpu = CpuTimes::now() - cpu_start;
  std::printf("files=%zu bytes=%llu list_s=%.3f read_s=%.3f total_s=%.3f user_s=%.3f sys_s=%.3f\n", files.size(),
              static_cast<unsigned long long>(bytes.load()), seconds_between(start, listed),
              seconds_between(listed, done), seconds_between(start, done), cpu.user_s, cpu.sys_s);
  if (braces.load() < files.size()) {
    std::fprintf(stderr, "s3_extract_bench: some files were not JSON objects\n");
    return 1;
  }
  return 0;
}

// As RedshiftWarehouse::stage() gathers JSON lines before handing them to
// StagingParts::add() (kPartChunkBytes in src/warehouse/redshift_warehouse.cpp).
constexpr size_t kPartChunkBytes = 4 << 20;

// Compacted staging of the song files below `args.root`, as `sparkify etl`
// does it for a redshift:// target: list, then pipeline::extract_songs (the
// S3 reads with `--threads` files parsed at once by json::SongReader,
// batches of whole files to one consumer), whose consumer encodes the
// records as JSON lines and feeds the gzip parts; the clock stops once the
// parts are uploaded and the manifest written.
int stage(const Args& args) {
  if (args.root.empty()) usage("stage needs an s3://bucket/prefix");
  std::string to = args.to;
  if (to.empty()) {
    std::string bucket = args.root.substr(0, args.root.find('/', std::strlen("s3://")));
    to = bucket + "/staging-bench-" + std::to_string(getpid()) + "/staging_songs";
  }
  S3FileSystem s3(options_for(args));

  CpuTimes cpu_start = CpuTimes::now();
  auto start = Clock::now();
  std::vector<FileEntry> files = s3.list(args.root, sparkify::pipeline::source_suffixes());
  auto listed = Clock::now();
  uint64_t source_bytes = 0;
  for (const auto& file : files) source_bytes += file.size;
  sparkify::warehouse::StagingParts parts(s3, to, sparkify::warehouse::staging_part_count(source_bytes, args.slices));
  std::string buffer;
  double encode_s = 0;
  double compress_s = 0;
  uint64_t rejects = 0;
  sparkify::pipeline::ExtractStats stats = sparkify::pipeline::extract_songs(
      s3, files, args.threads == 0 ? 4 : args.threads, [&](sparkify::pipeline::FileBatch<sparkify::model::SongRecord>& batch) {
        rejects += batch.rejects.size();
        auto encode_start = Clock::now();
        sparkify::warehouse::append_json_rows(batch.records, buffer);
        auto encoded = Clock::now();
        encode_s += seconds_between(encode_start, encoded);
        if (buffer.size() >= kPartChunkBytes) {
          parts.add(buffer);
          buffer.clear();
          compress_s += seconds_between(encoded, Clock::now());
        }
      });
  auto read = Clock::now();
  parts.add(buffer);
  buffer.clear();
  std::string manifest = parts.finish();
  auto done = Clock::now();
  CpuTimes cpu = CpuTimes::now() - cpu_start;

  std::printf(
      "files=%llu bytes=%llu records=%llu list_s=%.3f read_s=%.3f finish_s=%.3f total_s=%.3f user_s=%.3f "
      "sys_s=%.3f encode_s=%.3f compress_s=%.3f parts=%zu compressed_bytes=%llu\n",
      static_cast<unsigned long long>(stats.files), static_cast<unsigned long long>(stats.bytes),
      static_cast<unsigned long long>(stats.records), seconds_between(start, listed), seconds_between(listed, read),
      seconds_between(read, done), seconds_between(start, done), cpu.user_s, cpu.sys_s, encode_s, compress_s,
      parts.part_count(), static_cast<unsigned long long>(parts.compressed_bytes()));
  s3.remove_all(to);
  s3.remove_all(to + ".manifest");
  if (rejects > 0 || manifest.empty()) {
    std::fprintf(stderr, "s3_extract_bench: %llu records were rejected%s\n", static_cast<unsigned long long>(rejects),
                 manifest.empty() ? ", and no manifest was written" : "");
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
    if (args.command == "stage") return stage(args);
    usage("unknown command " + args.command);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "s3_extract_bench: %s\n", error.what());
    return 1;
  }
}
