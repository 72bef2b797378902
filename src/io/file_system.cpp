#include "io/file_system.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace sparkify::io {

void FileSystem::for_each_index(size_t count, size_t concurrency, const std::function<void(size_t index)>& each) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto worker = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      size_t index = next.fetch_add(1);
      if (index >= count) return;
      try {
        each(index);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed = true;
      }
    }
  };
  size_t thread_count = std::max<size_t>(1, std::min(concurrency, count));
  std::vector<std::thread> threads;
  for (size_t thread_idx = 1; thread_idx < thread_count; ++thread_idx) threads.emplace_back(worker);
  worker();
  for (auto& thread : threads) thread.join();
  if (first_error) std::rethrow_exception(first_error);
}

void FileSystem::read_many(const std::vector<FileEntry>& files, size_t concurrency,
                           const std::function<void(size_t, Bytes)>& on_file) {
  // A local disk needs no more than a thread per core; remote stores override
  // this with many requests in flight.
  for_each_index(files.size(), concurrency, [&](size_t index) { on_file(index, read(files[index].path)); });
}

void FileSystem::stream_many(const std::vector<FileEntry>& files, size_t concurrency,
                             const std::function<void(size_t, InputStream&)>& on_file) {
  read_many(files, concurrency, [&](size_t index, Bytes bytes) {
    BytesInputStream stream(std::move(bytes));
    on_file(index, stream);
  });
}

std::unique_ptr<FileLock> FileSystem::try_lock(const std::string&, const std::string&) { return nullptr; }

void FileSystem::copy_file(const std::string& from, const std::string& to) { write_file(to, read(from).view()); }

void FileSystem::write_file(const std::string& path, std::string_view bytes) {
  auto out = create(path);
  out->write(bytes);
  out->close();
}

std::string join_path(std::string_view base, std::string_view name) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  while (!name.empty() && name.front() == '/') name.remove_prefix(1);
  if (out.empty()) return std::string(name);
  out += '/';
  out += name;
  return out;
}

}  // namespace sparkify::io
