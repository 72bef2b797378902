// The etl job into PostgreSQL on the project's fixtures and the real sample:
// row counts and exact rows that follow from the contract, reruns, and failed
// loads.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <filesystem>
#include <map>
#include <memory>
#include <sstream>

#include "io/local_file_system.h"
#include "lake/lake_reader.h"
#include "model/error.h"
#include "pipeline/etl.h"
#include "pipeline/extract.h"
#include "pipeline/warehouse_sink.h"
#include "quality/match_diagnostics.h"
#include "support/data_sets.h"
#include "support/star_compare.h"
#include "support/test_database.h"
#include "test_support.h"
#include "transform/star_builder.h"
#include "warehouse/postgres_warehouse.h"

namespace sparkify::pipeline {
namespace {

using testing::DataSet;
using testing::first_difference;
using testing::query_scalar;
using testing::read_star_from_postgres;
using testing::TempDir;
using testing::TestDatabase;

RunSummary run_into(const std::string& uri, const std::string& song_data, const std::string& log_data,
                    int64_t max_errors = 0, const std::string& rejects = "",
                    config::StarTransform transform = config::StarTransform::kInProcess) {
  config::Settings settings;
  settings.transform = transform;
  settings.song_data = song_data;
  settings.log_data = log_data;
  settings.target = uri;
  settings.max_errors = max_errors;
  if (!rejects.empty()) settings.rejects_path = rejects;
  FileSystems file_systems(settings);
  auto sinks = make_sinks(settings, file_systems);
  std::ostringstream log;
  return run_etl(settings, file_systems, sinks, log);
}

// Each test of this suite runs on the project's fixtures and, where it
// exists, on the real sample (support/data_sets.h).
class EtlPostgresOnData : public ::testing::TestWithParam<DataSet> {};

TEST_P(EtlPostgresOnData, GivesTheContractsCounts) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& data = GetParam();
  TestDatabase db;
  TempDir work;
  RunSummary summary = run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  EXPECT_EQ(summary.song_files, data.song_files);
  EXPECT_EQ(summary.event_files, data.event_files);
  EXPECT_EQ(summary.events_read, data.events);
  EXPECT_EQ(summary.rejects, 0u);
  ASSERT_EQ(summary.targets.size(), 1u);
  const auto& counts = summary.targets[0].counts;
  EXPECT_EQ(counts.staging_songs, data.counts.staging_songs);
  EXPECT_EQ(counts.staging_events, data.counts.staging_events);
  EXPECT_EQ(counts.songplays, data.counts.songplays);
  EXPECT_EQ(counts.users, data.counts.users);
  EXPECT_EQ(counts.songs, data.counts.songs);
  EXPECT_EQ(counts.artists, data.counts.artists);
  EXPECT_EQ(counts.time, data.counts.time);
}

TEST_P(EtlPostgresOnData, TheSqlTransformAgreesWithTheInProcessBuilder) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& data = GetParam();
  TestDatabase db;
  TempDir work;
  run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson", config::StarTransform::kSql);
  io::LocalFileSystem fs;
  transform::StarBuilder builder;
  extract_songs(fs, fs.list(data.song_data(), source_suffixes()), 2,
                [&](FileBatch<model::SongRecord>& batch) { builder.add_songs(batch.records); });
  builder.finish_songs();
  extract_events(fs, fs.list(data.log_data(), source_suffixes()), 2,
                 [&](FileBatch<model::EventRecord>& batch) { builder.add_events(batch.records); });
  builder.finish();
  EXPECT_EQ(first_difference(builder.to_star_schema(), read_star_from_postgres(db.uri())), "");
}

// The star built in process and COPYed in, and the star the warehouse's
// SQL builds from the same staging: the same rows, counts and match
// figures, and the same staging tables.
TEST_P(EtlPostgresOnData, BothTransformsGiveTheSameTablesCountsAndMatchFigures) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& data = GetParam();
  TestDatabase in_process;
  TestDatabase by_sql;
  TempDir work;
  RunSummary built = run_into(in_process.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  RunSummary inserted = run_into(by_sql.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson",
                                 config::StarTransform::kSql);
  EXPECT_EQ(first_difference(read_star_from_postgres(in_process.uri()), read_star_from_postgres(by_sql.uri())), "");
  ASSERT_EQ(built.targets.size(), 1u);
  ASSERT_EQ(inserted.targets.size(), 1u);
  const auto& counts = built.targets[0].counts;
  const auto& sql_counts = inserted.targets[0].counts;
  EXPECT_EQ(counts.staging_songs, sql_counts.staging_songs);
  EXPECT_EQ(counts.staging_events, sql_counts.staging_events);
  EXPECT_EQ(counts.songplays, sql_counts.songplays);
  EXPECT_EQ(counts.users, sql_counts.users);
  EXPECT_EQ(counts.songs, sql_counts.songs);
  EXPECT_EQ(counts.artists, sql_counts.artists);
  EXPECT_EQ(counts.time, sql_counts.time);
  ASSERT_TRUE(built.match && inserted.match);
  EXPECT_EQ(quality::match_json(*built.match), quality::match_json(*inserted.match));
  for (const char* table : {"staging_events", "staging_songs"}) {
    std::string rows = std::string("SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM ") + table + " t";
    EXPECT_EQ(query_scalar(in_process.uri(), rows), query_scalar(by_sql.uri(), rows)) << table;
  }
}

// More threads than a builder keeps shards of events for (a large
// machine's default): the extra readers share the shards, into PostgreSQL
// and into a lake alike, and the tables are those of a run on fewer.
TEST_P(EtlPostgresOnData, MoreThreadsThanEventShardsShareThem) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& data = GetParam();
  TempDir work;
  config::Settings settings;
  settings.song_data = data.song_data();
  settings.log_data = data.log_data();
  settings.rejects_path = work / "rejects.ndjson";
  settings.threads = static_cast<int>(transform::StarBuilder::kMaxEventShards) + 9;
  TestDatabase db;
  settings.target = db.uri();
  auto run = [&settings] {
    FileSystems file_systems(settings);
    auto sinks = make_sinks(settings, file_systems);
    std::ostringstream log;
    run_etl(settings, file_systems, sinks, log);
  };
  run();
  settings.target.reset();
  settings.lake = work / "lake";
  run();
  TestDatabase one_thread;
  run_into(one_thread.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  model::StarSchema expected = read_star_from_postgres(one_thread.uri());
  EXPECT_EQ(first_difference(expected, read_star_from_postgres(db.uri())), "");
  io::LocalFileSystem fs;
  EXPECT_EQ(first_difference(expected, lake::read_star(fs, work / "lake")), "");
}

TEST_P(EtlPostgresOnData, LoadingTwiceGivesTheSameTables) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& data = GetParam();
  TestDatabase db;
  TempDir work;
  run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  auto first = read_star_from_postgres(db.uri());
  run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  EXPECT_EQ(first_difference(first, read_star_from_postgres(db.uri())), "");
}

TEST_P(EtlPostgresOnData, RejectsOverMaxErrorsCommitNothingAndAreKept) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& data = GetParam();
  TestDatabase db;
  TempDir work;
  run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  auto good = read_star_from_postgres(db.uri());

  // The same logs plus one file with a bad line between good ones.
  std::filesystem::copy(data.log_data(), work / "log_data", std::filesystem::copy_options::recursive);
  std::string bad_file = work / "log_data/2018/11/2018-11-31-events.json";
  testing::write_text(bad_file,
                      "{\"userId\":\"900\",\"page\":\"NextSong\",\"sessionId\":1,\"itemInSession\":0,\"ts\":1}\n"
                      "{\"userId\":\"901\",\"page\":\"NextSong\",\"ts\":\"yesterday\"}\n");
  std::string rejects = work / "rejects.ndjson";
  try {
    run_into(db.uri(), data.song_data(), work / "log_data", 0, rejects);
    FAIL() << "a reject over --max-errors 0 did not fail the run";
  } catch (const JobError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find(bad_file + ":2: ts: expected an integer, found a string"), std::string::npos) << message;
    EXPECT_NE(message.find("nothing was committed"), std::string::npos) << message;
  }
  EXPECT_EQ(first_difference(good, read_star_from_postgres(db.uri())), "") << "the previous tables are untouched";
  std::string kept = testing::read_text(rejects);
  EXPECT_NE(kept.find("\"line\":2,\"field\":\"ts\""), std::string::npos) << kept;
  EXPECT_NE(kept.find("yesterday"), std::string::npos) << "the raw record is kept";

  // Within --max-errors the run commits the good records.
  RunSummary summary = run_into(db.uri(), data.song_data(), work / "log_data", 1, rejects);
  EXPECT_EQ(summary.rejects, 1u);
  EXPECT_EQ(summary.targets[0].counts.songplays, data.counts.songplays + 1);
  EXPECT_EQ(query_scalar(db.uri(), "SELECT COUNT(*) FROM users WHERE user_id = 900"), "1");
}

INSTANTIATE_TEST_SUITE_P(, EtlPostgresOnData, ::testing::ValuesIn(testing::data_sets()),
                         testing::data_set_test_name);

// Every row of every star table, as the contract gives them for the
// fixtures (support/data_sets.cpp), and how PostgreSQL prints a few.
TEST(EtlPostgres, FixturesGiveTheContractsRows) {
  SPARKIFY_REQUIRE_POSTGRES();
  DataSet data = testing::fixture_data_set();
  TestDatabase db;
  TempDir work;
  run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  EXPECT_EQ(first_difference(testing::fixture_star(), read_star_from_postgres(db.uri())), "");
  const std::string& uri = db.uri();
  EXPECT_EQ(query_scalar(uri, "SELECT songplay_id || '|' || start_time || '|' || user_id || '|' || level || '|' || "
                              "session_id || '|' || location FROM songplays WHERE songplay_id = 1"),
            "1|2018-11-01 09:15:40.125|10|free|301|Malmö-Lund, Skåne");
  EXPECT_EQ(query_scalar(uri, "SELECT string_agg(songplay_id::text, ',' ORDER BY songplay_id) FROM songplays "
                              "WHERE song_id = 'SOCCCCS12AB0180003'"),
            "2,7,10")
      << "one song matched by several events";
  EXPECT_EQ(query_scalar(uri, "SELECT COUNT(*) FROM songplays WHERE song_id IS NULL"), "4");
  EXPECT_EQ(query_scalar(uri, "SELECT COUNT(*) FROM staging_events WHERE user_id IS NULL"), "3")
      << "logged-out events are staged, with a NULL user";
  EXPECT_EQ(query_scalar(uri, "SELECT first_name || ' ' || last_name || '|' || level FROM users WHERE user_id = 44"),
            "Noor O'Brien|paid");
  EXPECT_EQ(query_scalar(uri, "SELECT name || '|' || COALESCE(location, 'NULL') || '|' || "
                              "COALESCE(latitude::text, 'NULL') FROM artists WHERE artist_id = 'ARNUL0L1187B9A3C03'"),
            "Casual Strangers|NULL|NULL");
  EXPECT_EQ(query_scalar(uri, "SELECT hour || '|' || day || '|' || week || '|' || month || '|' || year || '|' || "
                              "weekday FROM time ORDER BY start_time DESC LIMIT 1"),
            "23|31|1|12|2018|1");
}

// Rows that only the real extract has.
class EtlPostgresOnSample : public ::testing::TestWithParam<DataSet> {};

TEST_P(EtlPostgresOnSample, ExactRows) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet& sample = GetParam();
  TestDatabase db;
  TempDir work;
  run_into(db.uri(), sample.song_data(), sample.log_data(), 0, work / "rejects.ndjson");
  const std::string& uri = db.uri();
  // The first play: Kaylee Summers, 2018-11-01 21:01:46.796 UTC.
  EXPECT_EQ(query_scalar(uri,
                         "SELECT songplay_id || '|' || start_time || '|' || user_id || '|' || level || '|' || "
                         "session_id || '|' || location FROM songplays WHERE songplay_id = 1"),
            "1|2018-11-01 21:01:46.796|8|free|139|Phoenix-Mesa-Scottsdale, AZ");
  // The one play whose song, artist and length match a song file.
  EXPECT_EQ(query_scalar(uri, "SELECT user_id || '|' || session_id || '|' || song_id || '|' || artist_id "
                              "FROM songplays WHERE song_id IS NOT NULL"),
            "15|818|SOZCTXZ12AB0182364|AR5KOSW1187FB35FF4");
  EXPECT_EQ(query_scalar(uri, "SELECT COUNT(*) FROM songplays WHERE song_id IS NOT NULL"), "1");
  // A user whose level changed takes the latest.
  EXPECT_EQ(query_scalar(uri, "SELECT first_name || ' ' || last_name || '|' || gender || '|' || level "
                              "FROM users WHERE user_id = 15"),
            "Lily Koch|F|paid");
  EXPECT_EQ(query_scalar(uri, "SELECT title || '|' || artist_id || '|' || year || '|' || duration "
                              "FROM songs WHERE song_id = 'SOMZWCG12A8C13C480'"),
            "I Didn't Mean To|ARD7TVE1187B99BFB1|0|218.93179");
  EXPECT_EQ(query_scalar(uri, "SELECT name || '|' || location || '|' || COALESCE(latitude::text, 'NULL') "
                              "FROM artists WHERE artist_id = 'ARD7TVE1187B99BFB1'"),
            "Casual|California - LA|NULL");
  EXPECT_EQ(query_scalar(uri, "SELECT hour || '|' || day || '|' || week || '|' || month || '|' || year || '|' || "
                              "weekday FROM time ORDER BY start_time LIMIT 1"),
            "21|1|44|11|2018|4");
}

INSTANTIATE_TEST_SUITE_P(, EtlPostgresOnSample, ::testing::ValuesIn(testing::sample_data_sets()),
                         testing::data_set_test_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(EtlPostgresOnSample);

TEST(EtlPostgres, MissingSourceFolderNamesIt) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  EXPECT_THROW(
      {
        try {
          run_into(db.uri(), "/no/such/song_data", "/no/such/log_data");
        } catch (const IoError& error) {
          EXPECT_NE(std::string(error.what()).find("/no/such/song_data"), std::string::npos);
          throw;
        }
      },
      IoError);
}

// The star tables refuse the rows built in process (here a constraint of
// the user's): the load fails naming the table, and every table is as the
// last load left it, its ledger row included.
TEST(EtlPostgres, AStarTableRefusingItsRowsFailsTheLoadAndChangesNothing) {
  SPARKIFY_REQUIRE_POSTGRES();
  const DataSet data = testing::data_sets().front();
  TestDatabase db;
  TempDir work;
  run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  model::StarSchema before = read_star_from_postgres(db.uri());
  query_scalar(db.uri(), "ALTER TABLE songplays ADD CONSTRAINT no_new_plays CHECK (songplay_id < 0) NOT VALID");
  std::string failure;
  try {
    run_into(db.uri(), data.song_data(), data.log_data(), 0, work / "rejects.ndjson");
  } catch (const std::exception& error) {
    failure = error.what();
  }
  EXPECT_NE(failure.find("COPY songplays"), std::string::npos) << failure;
  EXPECT_NE(failure.find("no_new_plays"), std::string::npos) << failure;
  EXPECT_EQ(first_difference(before, read_star_from_postgres(db.uri())), "");
  EXPECT_EQ(query_scalar(db.uri(), "SELECT count(*) FROM sparkify_loads"), "1");
}

// A lake and a warehouse change together or not at all: when the
// warehouse's commit fails, the lake keeps every table as it was.
TEST(EtlPostgres, AFailedWarehouseCommitLeavesTheLakeAsItWas) {
  SPARKIFY_REQUIRE_POSTGRES();
  TempDir work;
  std::string data = work / "data";
  std::string generate = std::string(SPARKIFY_BINARY_DIR) + "/src/cli/sparkify generate --songs 80 --events 800 "
                         "--seed 4 --out " + data + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(generate.c_str()), 0);
  TestDatabase db;
  config::Settings settings;
  settings.song_data = data + "/song_data";
  settings.log_data = data + "/log_data";
  settings.target = db.uri();
  settings.lake = work / "lake";
  settings.rejects_path = work / "rejects.ndjson";
  auto run_both = [&] {
    FileSystems file_systems(settings);
    auto sinks = make_sinks(settings, file_systems);
    std::ostringstream log;
    return run_etl(settings, file_systems, sinks, log);
  };
  run_both();
  auto lake_files = [&] { return testing::lake_files(work / "lake"); };
  auto lake_before = lake_files();
  auto warehouse_before = read_star_from_postgres(db.uri());
  // The ledger refuses the next load's row: its COMMIT fails.
  query_scalar(db.uri(), "ALTER TABLE sparkify_loads ADD CONSTRAINT refuse_loads CHECK (load_id = 'none') NOT VALID");
  testing::write_text(data + "/log_data/extra.json",
                      "{\"ts\":1541990000000,\"userId\":\"999777\",\"page\":\"NextSong\",\"sessionId\":1,"
                      "\"itemInSession\":0,\"level\":\"free\",\"song\":\"x\",\"artist\":\"y\"}\n");
  EXPECT_THROW(run_both(), WarehouseError);
  EXPECT_EQ(lake_files(), lake_before) << "every lake table as it was";
  EXPECT_FALSE(std::filesystem::exists(work / "lake/_sparkify_commit"));
  EXPECT_EQ(first_difference(warehouse_before, read_star_from_postgres(db.uri())), "");
  // With the ledger answering again, both change together.
  query_scalar(db.uri(), "ALTER TABLE sparkify_loads DROP CONSTRAINT refuse_loads");
  RunSummary summary = run_both();
  EXPECT_NE(lake_files(), lake_before);
  EXPECT_EQ(summary.targets.size(), 2u);
  EXPECT_EQ(summary.targets[0].counts.songplays, summary.targets[1].counts.songplays);
  EXPECT_EQ(summary.targets[0].counts.songplays, warehouse_before.songplays.size() + 1);
}

TEST(EtlPostgres, TheSettingsStatementTimeoutReachesTheWarehouse) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  TempDir work;
  testing::write_text(work / "songs/a.json", "{\"song_id\":\"S1\"}\n");
  testing::write_text(work / "logs/a.json", "{\"ts\":1}\n");
  warehouse::PostgresWarehouse(db.uri()).create_tables();
  // Another session holds staging_songs: the load waits on it until the
  // server cancels the statement.
  std::unique_ptr<PGconn, decltype(&PQfinish)> holder(PQconnectdb(db.uri().c_str()), &PQfinish);
  PQclear(PQexec(holder.get(), "BEGIN"));
  PGresult* locked = PQexec(holder.get(), "LOCK TABLE staging_songs IN ACCESS EXCLUSIVE MODE");
  ASSERT_EQ(PQresultStatus(locked), PGRES_COMMAND_OK);
  PQclear(locked);
  config::Settings settings;
  settings.song_data = work / "songs";
  settings.log_data = work / "logs";
  settings.rejects_path = work / "rejects.ndjson";
  settings.target = db.uri();
  settings.timeouts.statement_s = 1;
  FileSystems file_systems(settings);
  auto sinks = make_sinks(settings, file_systems);
  std::ostringstream log;
  try {
    run_etl(settings, file_systems, sinks, log);
    FAIL() << "the load went past a table another session holds";
  } catch (const WarehouseError& error) {
    EXPECT_EQ(error.sqlstate(), "57014") << error.what();
  }
}

}  // namespace
}  // namespace sparkify::pipeline
