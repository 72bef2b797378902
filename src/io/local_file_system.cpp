#include "io/local_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <random>
#include <set>
#include <system_error>
#include <thread>

#include "model/error.h"

namespace sparkify::io {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int error) {
  throw IoError(what + " " + path + ": " + std::strerror(error));
}

bool has_suffix(const std::string& name, const std::vector<std::string>& suffixes) {
  if (suffixes.empty()) return true;
  return std::any_of(suffixes.begin(), suffixes.end(), [&](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  });
}

std::string unique_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::to_string(::getpid()) + "-" + std::to_string(rng());
}

// One mkdir() when only the last folder is missing or none is, which is
// the common case when a lake writes tens of thousands of partition
// folders; the full walk otherwise.
void make_parent_folders(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) return;
  if (::mkdir(parent.c_str(), 0755) == 0 || errno == EEXIST) return;
  std::error_code error;
  fs::create_directories(parent, error);  // open() reports what still fails
}

class LocalOutputStream final : public OutputStream {
 public:
  // `aside`: write to a hidden temporary name and rename on close(), so
  // that nothing is visible at `path` before then.
  LocalOutputStream(std::string path, bool aside)
      : path_(std::move(path)), temp_path_(aside ? temp_name(path_) : path_) {
    make_parent_folders(path_);
    fd_ = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) fail("cannot create", path_, errno);
  }
  ~LocalOutputStream() override {
    if (fd_ >= 0) abort();
  }

  void write(std::string_view bytes) override {
    // Writers hand over many small pieces (page headers, pages, footers):
    // gathering them saves a system call per piece.
    if (buffer_.size() + bytes.size() > kBufferBytes) flush();
    if (bytes.size() >= kBufferBytes) {
      write_fully(bytes);
    } else {
      buffer_.append(bytes);
    }
    bytes_written_ += bytes.size();
  }

  void close() override {
    flush();
    if (::close(fd_) != 0) {
      fd_ = -1;
      fail("cannot write", path_, errno);
    }
    fd_ = -1;
    if (temp_path_ != path_ && ::rename(temp_path_.c_str(), path_.c_str()) != 0) {
      fail("cannot rename into", path_, errno);
    }
  }

  void abort() override {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    ::unlink(temp_path_.c_str());
  }

  uint64_t bytes_written() const override { return bytes_written_; }

 private:
  static constexpr size_t kBufferBytes = 256 << 10;

  void flush() {
    write_fully(buffer_);
    buffer_.clear();
  }

  void write_fully(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t written = ::write(fd_, bytes.data(), bytes.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        fail("cannot write", path_, errno);
      }
      bytes.remove_prefix(static_cast<size_t>(written));
    }
  }

  static std::string temp_name(const std::string& path) {
    fs::path target(path);
    return (target.parent_path() / ("." + target.filename().string() + ".tmp-" + unique_suffix()))
        .string();
  }

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  std::string buffer_;
  uint64_t bytes_written_ = 0;
};

}  // namespace

namespace {

// A file's modification time as the version the ledgers keep: nanoseconds
// of std::filesystem's file clock, as earlier listings wrote it.
std::string version_of(const struct stat& info) {
  using namespace std::chrono;
  sys_time<nanoseconds> modified{seconds{info.st_mtim.tv_sec} + nanoseconds{info.st_mtim.tv_nsec}};
  return std::to_string(file_clock::from_sys(modified).time_since_epoch().count());
}

// The walk of list(): readdir and one fstatat per entry, relative to the
// folder's descriptor (no path walk per file). Symbolic links are
// followed; a folder reached twice (a link back up the tree, or two links
// to one folder) fails the listing, as it would be read twice or forever.
// Folders wait on a shared stack for whichever of `threads` is free, so
// that a tree of many folders is listed on every thread, and the stat
// calls (most of a local listing's time) run side by side.
class FolderWalk {
 public:
  FolderWalk(std::string root, const std::vector<std::string>& suffixes, size_t threads)
      : root_(std::move(root)), suffixes_(suffixes), threads_(std::max<size_t>(1, threads)) {}

  // Every wanted file below the folder `path` (`info` its stat), unsorted.
  std::vector<FileEntry> run(const std::string& path, const struct stat& info) {
    folders_seen_.insert({info.st_dev, info.st_ino});
    pending_.push_back(path);
    std::vector<std::vector<FileEntry>> found(threads_);
    std::vector<std::thread> helpers;
    for (size_t idx = 1; idx < threads_; ++idx) helpers.emplace_back([this, &found, idx] { work(found[idx]); });
    work(found[0]);
    for (auto& helper : helpers) helper.join();
    if (error_) std::rethrow_exception(error_);
    std::vector<FileEntry> entries = std::move(found[0]);
    for (size_t idx = 1; idx < threads_; ++idx) {
      std::move(found[idx].begin(), found[idx].end(), std::back_inserter(entries));
    }
    return entries;
  }

 private:
  struct Subfolder {
    std::string path;
    dev_t device;
    ino_t inode;
  };

  // Takes folders off the stack until none is left and none is being
  // listed (which could add more), or one failed.
  void work(std::vector<FileEntry>& out) {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return error_ || !pending_.empty() || busy_ == 0; });
      if (error_ || pending_.empty()) {
        wake_.notify_all();
        return;
      }
      std::string path = std::move(pending_.back());
      pending_.pop_back();
      ++busy_;
      lock.unlock();
      std::vector<Subfolder> subfolders;
      std::exception_ptr error;
      try {
        list_folder(path, out, subfolders);
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      --busy_;
      for (auto& folder : subfolders) {
        if (error) break;
        if (!folders_seen_.insert({folder.device, folder.inode}).second) {
          error = std::make_exception_ptr(
              IoError("cannot list " + root_ + ": " + folder.path +
                      " leads to a folder already listed (a symbolic link loop or a second link to it)"));
          break;
        }
        pending_.push_back(std::move(folder.path));
      }
      if (error && !error_) error_ = error;
      wake_.notify_all();
    }
  }

  void list_folder(const std::string& path, std::vector<FileEntry>& out, std::vector<Subfolder>& subfolders) {
    int folder_fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder_fd < 0) fail("cannot list " + root_ + ":", path, errno);
    DIR* folder = ::fdopendir(folder_fd);
    if (!folder) {
      int error = errno;
      ::close(folder_fd);
      fail("cannot list " + root_ + ":", path, error);
    }
    struct Closer {
      DIR* dir;
      ~Closer() { ::closedir(dir); }
    } closer{folder};
    for (;;) {
      errno = 0;
      struct dirent* entry = ::readdir(folder);
      if (!entry) {
        // An unreadable folder must fail the listing, never end it early
        // as if complete.
        if (errno != 0) fail("cannot list " + root_ + ":", path, errno);
        return;
      }
      const char* name = entry->d_name;
      // Hidden files and folders (editors' swap files, our own temp files)
      // are never data; "." and ".." are hidden too.
      if (name[0] == '.') continue;
      std::string child = (path == "/" ? "" : path) + "/" + name;
      bool wanted = has_suffix(name, suffixes_);
      // A file whose type readdir gives and whose name is not wanted needs
      // no stat.
      if (!wanted && entry->d_type == DT_REG) continue;
      struct stat info {};
      if (::fstatat(::dirfd(folder), name, &info, 0) != 0) fail("cannot list " + root_ + ":", child, errno);
      if (S_ISDIR(info.st_mode)) {
        subfolders.push_back({std::move(child), info.st_dev, info.st_ino});
      } else if (wanted && S_ISREG(info.st_mode)) {
        out.push_back({std::move(child), static_cast<uint64_t>(info.st_size), version_of(info)});
      }
    }
  }

  std::string root_;
  const std::vector<std::string>& suffixes_;
  size_t threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::string> pending_;  // folders to list, the deepest last
  size_t busy_ = 0;                   // folders being listed
  std::exception_ptr error_;
  std::set<std::pair<dev_t, ino_t>> folders_seen_;
};

}  // namespace

LocalFileSystem::LocalFileSystem(size_t list_threads) : list_threads_(std::max<size_t>(1, list_threads)) {}

std::vector<FileEntry> LocalFileSystem::list(const std::string& root,
                                             const std::vector<std::string>& suffixes) {
  struct stat info {};
  if (::stat(root.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw IoError("no such file or folder: " + root);
    fail("cannot stat", root, errno);
  }
  std::vector<FileEntry> entries;
  if (S_ISREG(info.st_mode)) {
    entries.push_back({root, static_cast<uint64_t>(info.st_size), version_of(info)});
    return entries;
  }
  if (!S_ISDIR(info.st_mode)) throw IoError("no such file or folder: " + root);
  std::string path = root;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  entries = FolderWalk(root, suffixes, list_threads_).run(path, info);
  std::sort(entries.begin(), entries.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return entries;
}

Bytes LocalFileSystem::read(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", path, errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    int error = errno;
    ::close(fd);
    fail("cannot stat", path, error);
  }
  Bytes bytes(static_cast<size_t>(info.st_size));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      ::close(fd);
      fail("cannot read", path, error);
    }
    if (got == 0) break;  // the file shrank while we read it
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  bytes.truncate(done);
  return bytes;
}

void LocalFileSystem::stream_many(const std::vector<FileEntry>& files, size_t concurrency,
                                  const std::function<void(size_t, InputStream&)>& on_file) {
  for_each_index(files.size(), concurrency, [&](size_t index) {
    FileInputStream stream(files[index].path);
    on_file(index, stream);
  });
}

std::unique_ptr<OutputStream> LocalFileSystem::create(const std::string& path) {
  return std::make_unique<LocalOutputStream>(path, true);
}

std::unique_ptr<OutputStream> LocalFileSystem::create_unpublished(const std::string& path) {
  return std::make_unique<LocalOutputStream>(path, false);
}

bool LocalFileSystem::exists(const std::string& path) {
  std::error_code error;
  return fs::exists(path, error);
}

void LocalFileSystem::remove_all(const std::string& path) {
  std::error_code error;
  fs::remove_all(path, error);
  if (error) throw IoError("cannot remove " + path + ": " + error.message());
}

void LocalFileSystem::copy_file(const std::string& from, const std::string& to) {
  make_parent_folders(to);
  if (::link(from.c_str(), to.c_str()) == 0) return;
  // Another file system, or one without hard links: copy the bytes.
  if (errno != EXDEV && errno != EPERM && errno != EMLINK) fail("cannot link " + from + " to", to, errno);
  FileSystem::copy_file(from, to);
}

void LocalFileSystem::replace_tree(const std::string& staged, const std::string& target) {
  std::error_code error;
  fs::create_directories(fs::path(target).parent_path(), error);
  if (!fs::exists(target)) {
    if (::rename(staged.c_str(), target.c_str()) != 0) fail("cannot move into place", target, errno);
    return;
  }
  if (::syscall(SYS_renameat2, AT_FDCWD, staged.c_str(), AT_FDCWD, target.c_str(),
                RENAME_EXCHANGE) != 0) {
    fail("cannot swap into place", target, errno);
  }
  // `staged` now holds the previous tree.
  remove_all(staged);
}

namespace {

class LocalFileLock final : public FileLock {
 public:
  explicit LocalFileLock(int fd) : fd_(fd) {}
  ~LocalFileLock() override { ::close(fd_); }  // closing releases the flock

 private:
  int fd_;
};

}  // namespace

std::unique_ptr<FileLock> LocalFileSystem::try_lock(const std::string& path, const std::string& holder) {
  make_parent_folders(path);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot open the lock file", path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    if (error != EWOULDBLOCK) {
      ::close(fd);
      fail("cannot lock", path, error);
    }
    char text[512] = {};
    ssize_t got = ::pread(fd, text, sizeof(text) - 1, 0);
    ::close(fd);
    std::string who = got > 0 ? std::string(text, static_cast<size_t>(got)) : "another process";
    while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
    throw LockedError(path + " is held by " + who);
  }
  // Who holds it, for the message a second run prints; the lock itself is
  // the flock, not this text.
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, holder.data(), holder.size(), 0) < 0) {
    int error = errno;
    ::close(fd);
    fail("cannot write the lock file", path, error);
  }
  return std::make_unique<LocalFileLock>(fd);
}

}  // namespace sparkify::io
