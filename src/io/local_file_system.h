// FileSystem on the local disk. Output is written to a hidden temporary file
// beside its target and renamed into place on close().
#pragma once

#include "io/file_system.h"

namespace sparkify::io {

class LocalFileSystem final : public FileSystem {
 public:
  // list() walks a tree's folders on `list_threads` threads.
  explicit LocalFileSystem(size_t list_threads = 1);

  std::vector<FileEntry> list(const std::string& root,
                              const std::vector<std::string>& suffixes) override;
  Bytes read(const std::string& path) override;
  // Each file read in pieces as the caller reads its stream.
  void stream_many(const std::vector<FileEntry>& files, size_t concurrency,
                   const std::function<void(size_t index, InputStream& stream)>& on_file) override;
  std::unique_ptr<OutputStream> create(const std::string& path) override;
  std::unique_ptr<OutputStream> create_unpublished(const std::string& path) override;
  void copy_file(const std::string& from, const std::string& to) override;
  bool exists(const std::string& path) override;
  void remove_all(const std::string& path) override;
  // Atomic: renameat2(RENAME_EXCHANGE) swaps the two trees in one step.
  void replace_tree(const std::string& staged, const std::string& target) override;
  bool replaces_atomically() const override { return true; }
  // flock(2): released when the holder closes it or dies.
  std::unique_ptr<FileLock> try_lock(const std::string& path, const std::string& holder) override;

 private:
  size_t list_threads_;
};

}  // namespace sparkify::io
