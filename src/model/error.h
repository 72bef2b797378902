// The typed errors that end a job. Each message names the file, line, field,
// object key or SQL statement at fault, and never a secret.
#pragma once

#include <stdexcept>
#include <string>

namespace sparkify {

// Bad flags, config or environment: the CLI exits with status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The data or the load failed: the CLI exits with status 1.
class JobError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reading or writing a file or object failed.
class IoError : public JobError {
 public:
  using JobError::JobError;
};

// Another run holds the lock of what this run would change.
class LockedError : public JobError {
 public:
  using JobError::JobError;
};

// Part of the load was committed and the rest was not: the message says
// which, and how the next run completes it. The CLI exits with status 3.
class IncompleteCommitError : public JobError {
 public:
  using JobError::JobError;
};

// The warehouse refused a statement; keeps the SQLSTATE.
class WarehouseError : public JobError {
 public:
  WarehouseError(const std::string& message, std::string sqlstate)
      : JobError(message), sqlstate_(std::move(sqlstate)) {}
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

}  // namespace sparkify
