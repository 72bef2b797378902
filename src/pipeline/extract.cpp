#include "pipeline/extract.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "io/bounded_queue.h"
#include "io/gzip.h"
#include "json/readers.h"

namespace sparkify::pipeline {
namespace {

// Raised inside read_many's (or stream_many's) callback to stop the reads once the consumer
// has failed; never escapes this file.
struct Cancelled {};

// Events per batch of a large event file: ~20 MB of records.
constexpr size_t kEventsPerBatch = 32768;

// Small files gathered into one batch: a batch per song file would cost a
// thread wake-up per file, more than the file's parse.
constexpr uint64_t kFilesPerBatch = 256;

template <typename Record, typename Reader>
ExtractStats extract(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                     const std::function<void(FileBatch<Record>&)>& consume, SourceCounters* counters) {
  if (concurrency == 0) concurrency = std::max(1u, std::thread::hardware_concurrency());
  // A few batches per reader: enough to keep the consumer fed, few enough
  // to bound memory when the sink is the slow side (a batch is up to
  // kFilesPerBatch small files, or kEventsPerBatch events of a large file).
  io::BoundedQueue<FileBatch<Record>> queue(concurrency * 2 + 2);
  std::mutex gathered_mutex;
  FileBatch<Record> gathered;  // whole small files, not yet handed on
  gathered.files_ended = 0;
  std::exception_ptr producer_error;
  std::thread producer([&] {
    try {
      if constexpr (std::is_same_v<Reader, json::EventReader>) {
        // Event files are read as streams and handed on in chunks, so that a
        // large file costs memory for a piece and a chunk, not for its bytes
        // or all its records at once.
        fs.stream_many(files, concurrency, [&](size_t index, io::InputStream& stream) {
          thread_local json::EventReader reader;
          const std::string& source = files[index].path;
          io::MaybeGunzipStream text(stream, source);
          std::optional<FileBatch<Record>> pending;
          reader.read_stream(text, source, kEventsPerBatch, [&](auto& records, auto& rejects) {
            if (counters) counters->add_rows(records.size(), rejects.size());
            if (pending && !queue.push(std::move(*pending))) throw Cancelled{};
            pending.emplace();
            pending->records = std::move(records);
            pending->rejects = std::move(rejects);
            pending->files_ended = 0;
            pending->source = source;
          });
          pending->files_ended = 1;
          pending->bytes = text.stored_bytes();
          if (counters) counters->add_file(text.stored_bytes());
          if (!queue.push(std::move(*pending))) throw Cancelled{};
        });
      } else {
        fs.read_many(files, concurrency, [&](size_t index, io::Bytes bytes) {
          thread_local Reader reader;
          uint64_t stored_bytes = bytes.size();
          const std::string& source = files[index].path;
          FileBatch<Record> batch;
          {
            // The file's bytes go before the wait for a place in the queue.
            io::Bytes text = io::maybe_gunzip(std::move(bytes), source);
            reader.read(text, source, batch.records, batch.rejects);
          }
          if (counters) {
            counters->add_rows(batch.records.size(), batch.rejects.size());
            counters->add_file(stored_bytes);
          }
          std::optional<FileBatch<Record>> full;
          {
            std::lock_guard lock(gathered_mutex);
            std::move(batch.records.begin(), batch.records.end(), std::back_inserter(gathered.records));
            std::move(batch.rejects.begin(), batch.rejects.end(), std::back_inserter(gathered.rejects));
            gathered.bytes += stored_bytes;
            if (++gathered.files_ended >= kFilesPerBatch) {
              full.emplace(std::move(gathered));
              gathered = FileBatch<Record>{};
              gathered.files_ended = 0;
            }
          }
          if (full && !queue.push(std::move(*full))) throw Cancelled{};
        });
      }
      // Every reader has returned: what is gathered is the last batch.
      if (gathered.files_ended > 0 && !queue.push(std::move(gathered))) throw Cancelled{};
    } catch (const Cancelled&) {
    } catch (...) {
      producer_error = std::current_exception();
    }
    queue.close();
  });

  ExtractStats stats;
  try {
    while (auto batch = queue.pop()) {
      stats.files += batch->files_ended;
      stats.bytes += batch->bytes;
      stats.records += batch->records.size();
      stats.rejects += batch->rejects.size();
      consume(*batch);
    }
  } catch (...) {
    queue.cancel();
    producer.join();
    throw;
  }
  producer.join();
  if (producer_error) std::rethrow_exception(producer_error);
  return stats;
}

}  // namespace

ExtractStats extract_songs(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                           const std::function<void(FileBatch<model::SongRecord>&)>& consume,
                           SourceCounters* counters) {
  return extract<model::SongRecord, json::SongReader>(fs, files, concurrency, consume, counters);
}

ExtractStats extract_events(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                            const std::function<void(FileBatch<model::EventRecord>&)>& consume,
                            SourceCounters* counters) {
  return extract<model::EventRecord, json::EventReader>(fs, files, concurrency, consume, counters);
}

ExtractStats extract_events_in_shards(io::FileSystem& fs, const std::vector<io::FileEntry>& files, size_t concurrency,
                                      size_t shards,
                                      const std::function<void(size_t shard, FileBatch<model::EventRecord>&)>& consume,
                                      SourceCounters* counters) {
  if (concurrency == 0) concurrency = std::max(1u, std::thread::hardware_concurrency());
  shards = std::max<size_t>(1, shards);
  // The shards no call holds; a call beyond `shards` at once waits for one.
  std::mutex free_mutex;
  std::condition_variable shard_freed;
  std::vector<size_t> free_shards;
  for (size_t shard = shards; shard-- > 0;) free_shards.push_back(shard);
  std::atomic<uint64_t> file_count{0};
  std::atomic<uint64_t> byte_count{0};
  std::atomic<uint64_t> record_count{0};
  std::atomic<uint64_t> reject_count{0};
  fs.stream_many(files, concurrency, [&](size_t index, io::InputStream& stream) {
    size_t shard = 0;
    {
      std::unique_lock lock(free_mutex);
      shard_freed.wait(lock, [&] { return !free_shards.empty(); });
      shard = free_shards.back();
      free_shards.pop_back();
    }
    struct Lease {
      std::mutex& mutex;
      std::condition_variable& freed;
      std::vector<size_t>& free;
      size_t shard;
      ~Lease() {
        {
          std::lock_guard lock(mutex);
          free.push_back(shard);
        }
        freed.notify_one();
      }
    } lease{free_mutex, shard_freed, free_shards, shard};
    thread_local json::EventReader reader;
    const std::string& source = files[index].path;
    io::MaybeGunzipStream text(stream, source);
    reader.read_stream(text, source, kEventsPerBatch, [&](auto& records, auto& rejects) {
      if (counters) counters->add_rows(records.size(), rejects.size());
      record_count += records.size();
      reject_count += rejects.size();
      FileBatch<model::EventRecord> batch;
      batch.records = std::move(records);
      batch.rejects = std::move(rejects);
      batch.files_ended = 0;
      batch.source = source;
      consume(shard, batch);
    });
    ++file_count;
    byte_count += text.stored_bytes();
    if (counters) counters->add_file(text.stored_bytes());
  });
  return ExtractStats{file_count, byte_count, record_count, reject_count};
}

const std::vector<std::string>& source_suffixes() {
  static const std::vector<std::string> suffixes = {".json", ".json.gz"};
  return suffixes;
}

}  // namespace sparkify::pipeline
