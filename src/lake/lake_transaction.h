// The lake's commit protocol. Tables are written under a hidden staging
// folder beside them (LAKE/.sparkify-staging-<id>/<table>/…); commit() puts
// each staged table in place of the old one (atomically on a local disk)
// and then writes LAKE/<table>/_SUCCESS, as Spark does. A run that fails or
// is killed before commit() leaves the previous lake as it was; readers
// that glob LAKE/<table>/** never see the staging folder.
#pragma once

#include <string>
#include <vector>

#include "io/file_system.h"

namespace sparkify::lake {

class LakeTransaction {
 public:
  // Removes staging folders left by runs that were killed (local disk only:
  // their process is gone).
  LakeTransaction(io::FileSystem& fs, std::string root);
  ~LakeTransaction();

  const std::string& root() const { return root_; }
  // Where to write `table` before commit.
  std::string staged_table_dir(const std::string& table) const;

  // Puts every table of `tables` in place, then its _SUCCESS marker.
  void commit(const std::vector<std::string>& tables);
  void abort() noexcept;

 private:
  io::FileSystem& fs_;
  std::string root_;
  std::string staging_dir_;
  bool done_ = false;
};

}  // namespace sparkify::lake
