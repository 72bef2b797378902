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
  for (const char* target : {"mysql://etl:Sup3rS3cret@db/sparkify", "POSTGRESQL://etl:Sup3rS3cret@db/x", "jdbc:postgresql://db/x?password=Sup3rS3cret",
                             "Sup3rS3cret", "host=db password='Sup3rS3cret", "=Sup3rS3cret", "host db"}) {
    std::string message = usage_error_of([&] { check_target(target); });
    EXPECT_NE(message.find("postgresql://"), std::string::npos) << message;
    EXPECT_NE(message.find("keyword=value"), std::string::npos) << message;
    EXPECT_EQ(message.find("Sup3rS3cret"), std::string::npos) << message;
  }
  EXPECT_NE(usage_error_of([] { check_target("mysql://db/x"); }).find("mysql://"), std::string::npos);
}

TEST(Settings, ARedshiftUriBecomesALibpqUriOverTlsOnRedshiftsPort) {
  ::unsetenv("PGSSLMODE");
  EXPECT_EQ(redshift_uri_to_libpq("redshift://etl:pw@cluster.example.com/dev"),
            "postgresql://etl:pw@cluster.example.com:5439/dev?sslmode=require");
  EXPECT_EQ(redshift_uri_to_libpq("redshift://etl@cluster:5440/dev?connect_timeout=5"),
            "postgresql://etl@cluster:5440/dev?connect_timeout=5&sslmode=require");
  EXPECT_EQ(redshift_uri_to_libpq("redshift://etl@127.0.0.1:54399/postgres?sslmode=disable"),
            "postgresql://etl@127.0.0.1:54399/postgres?sslmode=disable");
  EXPECT_EQ(redshift_uri_to_libpq("redshift://[::1]/dev"), "postgresql://[::1]:5439/dev?sslmode=require");
  EXPECT_NO_THROW(check_target("redshift://etl@cluster:5439/dev"));
  // libpq's own variable replaces the default, as it would for libpq.
  ::setenv("PGSSLMODE", "verify-full", 1);
  EXPECT_EQ(redshift_uri_to_libpq("redshift://etl@cluster/dev"), "postgresql://etl@cluster:5439/dev");
  ::unsetenv("PGSSLMODE");
}

// Flags for a Redshift run with local sources.
struct RedshiftRun : LocalRun {
  RedshiftRun() {
    flags.target = "redshift://etl:Sup3rS3cret@cluster:5439/dev";
    flags.iam_role = "arn:aws:iam::123456789012:role/dwhRole";
    flags.staging = "s3://stage-bucket/sparkify";
  }
};

TEST(Settings, ARedshiftTargetIsRedshiftWithItsRoleAndStaging) {
  ::unsetenv("PGSSLMODE");
  RedshiftRun run;
  Settings settings = resolve_etl_settings(run.flags);
  EXPECT_EQ(settings.warehouse_kind, model::WarehouseKind::kRedshift);
  EXPECT_EQ(settings.target, "postgresql://etl:Sup3rS3cret@cluster:5439/dev?sslmode=require");
  EXPECT_EQ(settings.redshift.iam_role, "arn:aws:iam::123456789012:role/dwhRole");
  // Local sources: the tool reads them and stages compacted parts.
  EXPECT_EQ(settings.redshift.stage_via, StageVia::kCompacted);
  EXPECT_FALSE(settings.lake);
}

TEST(Settings, SourcesOnS3AreStagedDirectlyByDefault) {
  RedshiftRun run;
  run.flags.song_data = "s3://raw/song_data";
  run.flags.log_data = "s3://raw/log_data";
  EXPECT_EQ(resolve_etl_settings(run.flags).redshift.stage_via, StageVia::kDirect);
  run.flags.stage_via = "compacted";
  EXPECT_EQ(resolve_etl_settings(run.flags).redshift.stage_via, StageVia::kCompacted);
  run.flags.stage_via = "sideways";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(run.flags); }).find("--stage-via"), std::string::npos);
}

// PostgreSQL builds its star in process unless told otherwise; Redshift
// only with its SQL; a lake alone has no choice to make.
TEST(Settings, WhereTheStarIsBuiltFollowsTheWarehouse) {
  LocalRun postgres;
  postgres.flags.target = "postgresql://etl@db:5432/sparkify";
  EXPECT_EQ(resolve_etl_settings(postgres.flags).transform, StarTransform::kInProcess);
  postgres.flags.transform = "sql";
  EXPECT_EQ(resolve_etl_settings(postgres.flags).transform, StarTransform::kSql);
  postgres.flags.transform = "in-process";
  EXPECT_EQ(resolve_etl_settings(postgres.flags).transform, StarTransform::kInProcess);
  postgres.flags.transform = "python";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(postgres.flags); }).find("in-process or sql"), std::string::npos);

  RedshiftRun redshift;
  EXPECT_EQ(resolve_etl_settings(redshift.flags).transform, StarTransform::kSql);
  redshift.flags.transform = "in-process";
  std::string message = usage_error_of([&] { resolve_etl_settings(redshift.flags); });
  EXPECT_NE(message.find("Redshift builds the star tables with SQL"), std::string::npos) << message;
  EXPECT_EQ(message.find("Sup3rS3cret"), std::string::npos) << message;

  LocalRun lake;
  lake.flags.lake = lake.dir / "lake";
  lake.flags.transform = "sql";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(lake.flags); }).find("--transform is for a warehouse"),
            std::string::npos);
}

TEST(Settings, ARedshiftLoadWithoutWhatItNeedsIsAUsageErrorNamingIt) {
  RedshiftRun no_role;
  no_role.flags.iam_role.reset();
  std::string message = usage_error_of([&] { resolve_etl_settings(no_role.flags); });
  EXPECT_NE(message.find("[IAM_ROLE] ARN"), std::string::npos) << message;
  EXPECT_NE(message.find("--iam-role"), std::string::npos) << message;

  RedshiftRun no_staging;
  no_staging.flags.staging.reset();
  message = usage_error_of([&] { resolve_etl_settings(no_staging.flags); });
  EXPECT_NE(message.find("--staging"), std::string::npos) << message;

  RedshiftRun local_direct;
  local_direct.flags.stage_via = "direct";
  message = usage_error_of([&] { resolve_etl_settings(local_direct.flags); });
  EXPECT_NE(message.find("on S3"), std::string::npos) << message;

  RedshiftRun direct_without_paths;
  direct_without_paths.flags.song_data = "s3://raw/song_data";
  direct_without_paths.flags.log_data = "s3://raw/log_data";
  direct_without_paths.flags.staging.reset();
  message = usage_error_of([&] { resolve_etl_settings(direct_without_paths.flags); });
  EXPECT_NE(message.find("LOG_JSONPATH"), std::string::npos) << message;
  direct_without_paths.flags.log_jsonpath = "s3://raw/log_json_path.json";
  EXPECT_NO_THROW(resolve_etl_settings(direct_without_paths.flags));

  RedshiftRun inside_a_source;
  inside_a_source.flags.song_data = "s3://raw/song_data";
  inside_a_source.flags.log_data = "s3://raw/log_data";
  inside_a_source.flags.staging = "s3://raw/log_data/tmp";
  message = usage_error_of([&] { resolve_etl_settings(inside_a_source.flags); });
  EXPECT_NE(message.find("overlap"), std::string::npos) << message;

  RedshiftRun local_staging;
  local_staging.flags.staging = "/tmp/stage";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(local_staging.flags); }).find("s3://"), std::string::npos);

  for (const RedshiftRun* run : {&no_role, &no_staging, &local_direct, &inside_a_source}) {
    EXPECT_EQ(usage_error_of([&] { resolve_etl_settings(run->flags); }).find("Sup3rS3cret"), std::string::npos);
  }
}

TEST(Settings, AnIamRoleIsForRedshiftOnly) {
  LocalRun run;
  run.flags.target = "postgresql://etl@db/sparkify";
  run.flags.iam_role = "arn:aws:iam::1:role/r";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(run.flags); }).find("Redshift"), std::string::npos);
  LocalRun staging;
  staging.flags.target = "postgresql://etl@db/sparkify";
  staging.flags.staging = "s3://b/p";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(staging.flags); }).find("Redshift"), std::string::npos);
}

TEST(Settings, TheClassicConfigWithAnIamRoleIsARedshiftCluster) {
  ::unsetenv("PGSSLMODE");
  LocalRun run;
  write_text(run.dir / "dwh.cfg",
             "[CLUSTER]\nHOST=cluster.example.com\nDB_NAME=dev\nDB_USER=etl\nDB_PASSWORD=Sup3rS3cret\n"
             "[IAM_ROLE]\nARN=arn:aws:iam::1:role/dwhRole\n[S3]\nLOG_JSONPATH=s3://raw/log_json_path.json\n");
  run.flags.config_path = run.dir / "dwh.cfg";
  run.flags.staging = "s3://stage/p";
  Settings settings = resolve_etl_settings(run.flags);
  EXPECT_EQ(settings.warehouse_kind, model::WarehouseKind::kRedshift);
  EXPECT_EQ(settings.target,
            "host='cluster.example.com' port='5439' dbname='dev' user='etl' password='Sup3rS3cret' sslmode='require'");
  EXPECT_EQ(settings.redshift.iam_role, "arn:aws:iam::1:role/dwhRole");
  EXPECT_EQ(settings.redshift.log_jsonpath, "s3://raw/log_json_path.json");
  EXPECT_EQ(resolve_target(run.flags).kind, model::WarehouseKind::kRedshift);

  // Without the role it is PostgreSQL, as before.
  write_text(run.dir / "pg.cfg", "[CLUSTER]\nHOST=db\nDB_NAME=dwh\nDB_USER=etl\n");
  run.flags.config_path = run.dir / "pg.cfg";
  run.flags.staging.reset();
  EXPECT_EQ(resolve_etl_settings(run.flags).warehouse_kind, model::WarehouseKind::kPostgres);
}

TEST(Settings, IncrementalLoadsOneTargetAtATime) {
  LocalRun lake_only;
  lake_only.flags.incremental = true;
  EXPECT_TRUE(resolve_etl_settings(lake_only.flags).incremental);
  LocalRun both;
  both.flags.target = "postgresql://etl@db/sparkify";
  both.flags.lake = "lake";
  both.flags.incremental = true;
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(both.flags); }).find("lake"), std::string::npos);
  LocalRun warehouse;
  warehouse.flags.target = "postgresql://etl@db/sparkify";
  warehouse.flags.incremental = true;
  EXPECT_TRUE(resolve_etl_settings(warehouse.flags).incremental);
  warehouse.flags.full_refresh = true;
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(warehouse.flags); }).find("exclude"), std::string::npos);
}

TEST(Settings, SinceAndUntilAreABackfillOfWholeUtcDays) {
  LocalRun run;
  run.flags.target = "postgresql://etl@db/sparkify";
  run.flags.since = "2018-11-05";
  run.flags.until = "2018-11-06";
  Settings settings = resolve_etl_settings(run.flags);
  EXPECT_TRUE(settings.incremental);  // implied
  ASSERT_TRUE(settings.window);
  EXPECT_EQ(settings.window->first_day, model::parse_day("2018-11-05"));
  EXPECT_EQ(settings.window->last_day, model::parse_day("2018-11-06"));
  run.flags.until.reset();  // either alone
  EXPECT_FALSE(resolve_etl_settings(run.flags).window->last_day);
  run.flags.since.reset();
  EXPECT_FALSE(resolve_etl_settings(run.flags).window);
  EXPECT_FALSE(resolve_etl_settings(run.flags).incremental);
}

TEST(Settings, ABadWindowIsAUsageErrorBeforeAnyWork) {
  LocalRun run;
  run.flags.target = "postgresql://etl@db/sparkify";
  for (const char* bad : {"2018-11-31", "2018-13-01", "18-11-05", "2018-11-5", "2018/11/05", "2018-11-05T00:00",
                          "yesterday", ""}) {
    run.flags.since = bad;
    EXPECT_NE(usage_error_of([&] { resolve_etl_settings(run.flags); }).find("--since takes a date YYYY-MM-DD"),
              std::string::npos)
        << bad;
  }
  run.flags.since = "2018-11-06";
  run.flags.until = "2018-11-05";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(run.flags); }).find("--since 2018-11-06 is after --until"),
            std::string::npos);
  run.flags.until = "2018-11-06";  // one day: since = until
  EXPECT_TRUE(resolve_etl_settings(run.flags).window);
  run.flags.full_refresh = true;
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(run.flags); }).find("exclude --full-refresh"),
            std::string::npos);
  // The embedded lake takes a backfill too, as an incremental load.
  LocalRun lake;
  lake.flags.until = "2018-11-06";
  Settings backfill = resolve_etl_settings(lake.flags);
  EXPECT_TRUE(backfill.window);
  EXPECT_TRUE(backfill.incremental);
}

TEST(Settings, ABackfillIntoRedshiftStagesWhatTheToolRead) {
  RedshiftRun run;
  run.flags.since = "2018-11-05";
  EXPECT_TRUE(resolve_etl_settings(run.flags).window);
  // Sources on S3 are staged directly unless told otherwise.
  run.flags.song_data = "s3://raw/song_data";
  run.flags.log_data = "s3://raw/log_data";
  EXPECT_NE(usage_error_of([&] { resolve_etl_settings(run.flags); }).find("--stage-via compacted"),
            std::string::npos);
  run.flags.stage_via = "compacted";
  EXPECT_TRUE(resolve_etl_settings(run.flags).window);
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
