// The file-system interface: the pipeline reads sources and writes the lake
// through it and never knows whether bytes live on a local disk or in S3.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/bytes.h"
#include "io/input_stream.h"

namespace sparkify::io {

struct FileEntry {
  std::string path;  // full path or s3:// URI, usable with read()
  uint64_t size = 0;
  // What changes when the content does, besides the size: the object's
  // ETag on S3, the modification time (ns) on a disk; empty when unknown.
  std::string version = {};
};

// An exclusive lock held until destruction. It dies with its holder: a
// killed process never leaves a lock behind.
class FileLock {
 public:
  virtual ~FileLock() = default;
};

// A file being written. Nothing is visible at the path until close()
// returns; abort() (or destruction without close) leaves nothing behind.
class OutputStream {
 public:
  virtual ~OutputStream() = default;
  virtual void write(std::string_view bytes) = 0;
  virtual void close() = 0;
  virtual void abort() = 0;
  virtual uint64_t bytes_written() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Every file below `root` (recursively) whose name ends with one of
  // `suffixes`, sorted by path. A root that is itself a file lists just it.
  // Throws IoError naming the root when it does not exist.
  virtual std::vector<FileEntry> list(const std::string& root,
                                      const std::vector<std::string>& suffixes) = 0;

  // The whole content of one file. Throws IoError naming the path.
  virtual Bytes read(const std::string& path) = 0;

  // Reads `files`, up to `concurrency` at once, and hands each to `on_file`
  // (from any thread, in any order, at most `concurrency` calls at once).
  // The first failure stops the reads and is rethrown here.
  virtual void read_many(const std::vector<FileEntry>& files, size_t concurrency,
                         const std::function<void(size_t index, Bytes bytes)>& on_file);

  // As read_many(), but each file is handed over as a stream, read on
  // `on_file`'s thread: a store that reads in pieces (a local disk) then
  // holds what the caller reads at a time, not whole files. By default the
  // files are downloaded whole by read_many() (S3: many requests in flight
  // matter more there than the memory of a file).
  virtual void stream_many(const std::vector<FileEntry>& files, size_t concurrency,
                           const std::function<void(size_t index, InputStream& stream)>& on_file);

  // Starts writing `path`; parent folders are made as needed.
  virtual std::unique_ptr<OutputStream> create(const std::string& path) = 0;

  // As create(), for a file under a folder that no reader looks at yet (a
  // staging folder published whole later): the store may then skip the
  // write-aside-and-rename that create() needs to be invisible until
  // close(). A file that fails is still removed by abort().
  virtual std::unique_ptr<OutputStream> create_unpublished(const std::string& path) { return create(path); }

  // Writes a small file whole.
  void write_file(const std::string& path, std::string_view bytes);

  // Puts a copy of the file `from` at `to` (parent folders made as needed),
  // for a staged tree that carries files over unchanged: a local disk links
  // it (no bytes copied), S3 copies it server-side. Throws IoError naming
  // the file.
  virtual void copy_file(const std::string& from, const std::string& to);

  // True when a file or folder exists at `path`.
  virtual bool exists(const std::string& path) = 0;

  // Removes `path` and everything below it; no error when absent.
  virtual void remove_all(const std::string& path) = 0;

  // Puts the tree at `staged` in place of the tree at `target`, so that a
  // reader sees the old tree or the new one and never a mix (as far as the
  // store allows: see replaces_atomically()). The old tree is removed; what
  // is left at `staged` afterwards (nothing, or a copy of the new tree) is
  // the caller's to remove. Where the store is not atomic, calling it again
  // with the same whole `staged` tree completes a replacement that failed
  // part way.
  virtual void replace_tree(const std::string& staged, const std::string& target) = 0;

  // True when replace_tree() is one atomic step (a local disk), so that a
  // marker inside the staged tree appears together with the data.
  virtual bool replaces_atomically() const { return false; }

  // Takes the exclusive lock of the file at `path` (made if missing, parent
  // folders too), writing `holder` into it for whoever finds it taken.
  // Returns nullptr when the store has no locks (S3). Throws LockedError,
  // naming the holder, when another process holds it; IoError when the file
  // cannot be made.
  virtual std::unique_ptr<FileLock> try_lock(const std::string& path, const std::string& holder);

 protected:
  // Calls each(index) for every index below `count`, on up to `concurrency`
  // threads (the caller's among them); the first failure stops the rest
  // and is rethrown here.
  static void for_each_index(size_t count, size_t concurrency, const std::function<void(size_t index)>& each);
};

// Joins path segments with exactly one '/' between them.
std::string join_path(std::string_view base, std::string_view name);

}  // namespace sparkify::io
