#include "config/settings.h"

#include <gtest/gtest.h>

#include "model/error.h"
#include "test_support.h"

namespace sparkify::config {
namespace {

using testing::TempDir;
using testing::write_text;

// The message of the UsageError that `resolve` throws; fails the test when
// it throws none.
template <typename Resolve>
std::string usage_error_of(Resolve&& resolve) {
  try {
    resolve();
  } catch (const UsageError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no UsageError";
  return {};
}

// Flags for a run whose sources exist.
struct LocalRun {
  TempDir dir;
  Flags flags;
  LocalRun() {
    write_text(dir / "songs/a.json", "{}\n");
    write_text(dir / "logs/a.json", "{}\n");
    flags.song_data = dir / "songs";
    flags.log_data = dir / "logs";
  }
};

TEST(Settings, ExistingLocalSourcesResolve) {
  LocalRun run;
  Settings settings = resolve_etl_settings(run.flags);
  EXPECT_EQ(settings.song_data, run.dir / "songs");
  EXPECT_EQ(settings.lake, "lake");
}

TEST(Settings, AMissingLocalSourceIsAUsageErrorNamingIt) {
  LocalRun run;
  run.flags.song_data = run.dir / "no-songs";
  std::string message = usage_error_of([&] { resolve_etl_settings(run.flags); });
  EXPECT_NE(message.find(run.dir / "no-songs"), std::string::npos) << message;
  EXPECT_NE(message.find("song data"), std::string::npos) << message;

  LocalRun other;
  other.flags.log_data = other.dir / "songs/a.json/below-a-file";
  message = usage_error_of([&] { resolve_etl_settings(other.flags); });
  EXPECT_NE(message.find(other.dir / "songs/a.json/below-a-file"), std::string::npos) << message;
}

TEST(Settings, S3SourcesAreCheckedWhenListedNotHere) {
  LocalRun run;
  run.flags.song_data = "s3://bucket/song_data";
  run.flags.log_data = "s3://bucket/log_data";
  EXPECT_EQ(resolve_etl_settings(run.flags).log_data, "s3://bucket/log_data");
}

TEST(Settings, TargetsAreLibpqUrisOrKeywordValuePairs) {
  for (const char* target : {"", "postgresql://", "postgres://", "postgresql://etl@db:5432/sparkify",
                             "postgres://etl:pw@db/sparkify?sslmode=require", "host=db dbname=sparkify",
                             "  host = db   dbname='my db' password='it\\'s' ", "host=a\\ b"}) {
    EXPECT_NO_THROW(check_target(target)) << target;
  }
}

TEST(Settings, OtherTargetsAreUsageErrorsNamingTheAcceptedForms) {
  for (const char* target : {"mysql://etl:Sup3rS3cret@db/sparkify", "redshift://etl:Sup3rS3cret@db:5439/dev",
                             "POSTGRESQL://etl:Sup3rS3cret@db/x", "jdbc:postgresql://db/x?password=Sup3rS3cret",
                             "Sup3rS3cret", "host=db password='Sup3rS3cret", "=Sup3rS3cret", "host db"}) {
    std::string message = usage_error_of([&] { check_target(target); });
    EXPECT_NE(message.find("postgresql://"), std::string::npos) << message;
    EXPECT_NE(message.find("keyword=value"), std::string::npos) << message;
    EXPECT_EQ(message.find("Sup3rS3cret"), std::string::npos) << message;
  }
  EXPECT_NE(usage_error_of([] { check_target("mysql://db/x"); }).find("mysql://"), std::string::npos);
}

TEST(Settings, EveryCommandChecksItsTarget) {
  LocalRun run;
  run.flags.target = "mysql://etl@db/sparkify";
  EXPECT_THROW(resolve_etl_settings(run.flags), UsageError);
  EXPECT_THROW(resolve_target(run.flags), UsageError);
}

TEST(Settings, AClusterSectionNamesItsHostDatabaseAndUser) {
  TempDir dir;
  write_text(dir / "full.cfg", "[CLUSTER]\nHOST=db\nDB_NAME=dwh\nDB_USER=etl\n");
  EXPECT_EQ(read_config_file(dir / "full.cfg").conninfo, "host='db' dbname='dwh' user='etl'");
  write_text(dir / "no-name.cfg", "[CLUSTER]\nHOST=db\nDB_USER=etl\nDB_PASSWORD=Sup3rS3cret\nDB_PORT=5439\n");
  std::string message = usage_error_of([&] { read_config_file(dir / "no-name.cfg"); });
  EXPECT_NE(message.find(dir / "no-name.cfg"), std::string::npos) << message;
  EXPECT_NE(message.find("missing: DB_NAME"), std::string::npos) << message;
  EXPECT_EQ(message.find("Sup3rS3cret"), std::string::npos) << message;
  write_text(dir / "empty.cfg", "[CLUSTER]\nDB_NAME=\n[S3]\nSONG_DATA=s3://b/s\n");
  message = usage_error_of([&] { read_config_file(dir / "empty.cfg"); });
  EXPECT_NE(message.find("missing: HOST, DB_NAME, DB_USER"), std::string::npos) << message;
  write_text(dir / "no-cluster.cfg", "[S3]\nSONG_DATA=s3://b/s\n");
  EXPECT_FALSE(read_config_file(dir / "no-cluster.cfg").conninfo);
}

TEST(Settings, WarehouseTimeoutsHaveDefaultsAndRanges) {
  LocalRun run;
  Timeouts defaults = resolve_etl_settings(run.flags).timeouts;
  EXPECT_EQ(defaults.connect_s, 30);
  EXPECT_EQ(defaults.statement_s, 0);
  run.flags.connect_timeout_s = 0;
  run.flags.statement_timeout_s = 3600;
  Timeouts given = resolve_etl_settings(run.flags).timeouts;
  EXPECT_EQ(given.connect_s, 0);
  EXPECT_EQ(given.statement_s, 3600);
  for (int bad : {-1, 1}) {
    Flags flags;
    flags.connect_timeout_s = bad;
    EXPECT_NE(usage_error_of([&] { resolve_timeouts(flags); }).find("--connect-timeout"), std::string::npos) << bad;
  }
  for (int bad : {-1, 2147484}) {
    Flags flags;
    flags.statement_timeout_s = bad;
    EXPECT_NE(usage_error_of([&] { resolve_timeouts(flags); }).find("--statement-timeout"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace sparkify::config
