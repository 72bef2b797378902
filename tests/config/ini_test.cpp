#include "config/ini.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/error.h"
#include "test_support.h"

namespace sparkify::config {
namespace {

using testing::TempDir;
using testing::write_text;

std::string load_error(const std::string& path) {
  try {
    IniFile::load(path);
  } catch (const UsageError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no UsageError for " << path;
  return {};
}

TEST(IniFile, ReadsSectionsAndKeysInAnyCase) {
  TempDir dir;
  write_text(dir / "dwh.cfg", "[cluster]\nhost = db\n; a comment\n[S3]\nLOG_DATA='s3://b/log_data'\n");
  IniFile ini = IniFile::load(dir / "dwh.cfg");
  EXPECT_EQ(ini.get("CLUSTER", "HOST"), "db");
  EXPECT_EQ(ini.get("s3", "log_data"), "s3://b/log_data");
  EXPECT_FALSE(ini.get("CLUSTER", "DB_NAME"));
}

TEST(IniFile, AFolderIsAUsageErrorNamingIt) {
  TempDir dir;
  std::string message = load_error(dir.str());
  EXPECT_NE(message.find(dir.str()), std::string::npos) << message;
  EXPECT_NE(message.find("is a folder, not a file"), std::string::npos) << message;
}

TEST(IniFile, AFileThatCannotBeOpenedIsAUsageErrorNamingIt) {
  TempDir dir;
  EXPECT_NE(load_error(dir / "missing.cfg").find(dir / "missing.cfg"), std::string::npos);
  write_text(dir / "locked.cfg", "[CLUSTER]\n");
  ::chmod((dir / "locked.cfg").c_str(), 0);
  if (::access((dir / "locked.cfg").c_str(), R_OK) == 0) GTEST_SKIP() << "root reads any file";
  EXPECT_NE(load_error(dir / "locked.cfg").find(dir / "locked.cfg"), std::string::npos);
}

}  // namespace
}  // namespace sparkify::config
