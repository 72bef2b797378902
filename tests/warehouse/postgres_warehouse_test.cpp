#include "warehouse/postgres_warehouse.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <thread>

#include "model/error.h"
#include "support/edge_records.h"
#include "support/star_compare.h"
#include "support/test_database.h"
#include "transform/star_builder.h"

namespace sparkify::warehouse {
namespace {

using testing::edge_events;
using testing::edge_songs;
using testing::first_difference;
using testing::query_scalar;
using testing::read_star_from_postgres;
using testing::TestDatabase;

// Load ids unique across runs of the test against one database.
std::string next_load_id() {
  static int loads = 0;
  return "test-" + std::to_string(::getpid()) + "-" + std::to_string(std::time(nullptr)) + "-" +
         std::to_string(++loads);
}

void load(PostgresWarehouse& warehouse, const std::vector<model::SongRecord>& songs,
          const std::vector<model::EventRecord>& events) {
  warehouse.begin_load("test-load");
  warehouse.stage_songs(songs);
  warehouse.end_stage();
  warehouse.stage_events(events);
  warehouse.end_stage();
  warehouse.transform();
  warehouse.commit(next_load_id());
}

model::StarSchema build_in_process(const std::vector<model::SongRecord>& songs,
                                   const std::vector<model::EventRecord>& events) {
  transform::StarBuilder builder;
  builder.add_songs(songs);
  builder.finish_songs();
  builder.add_events(events);
  builder.finish();
  return builder.to_star_schema();
}

TEST(PostgresWarehouse, SqlAndInProcessBuilderAgreeOnEveryTieBreak) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  PostgresWarehouse warehouse(db.uri());
  load(warehouse, edge_songs(), edge_events());
  auto from_sql = read_star_from_postgres(db.uri());
  auto in_process = build_in_process(edge_songs(), edge_events());
  EXPECT_EQ(first_difference(in_process, from_sql), "");
  EXPECT_EQ(from_sql.songplays.size(), 13u);
}

TEST(PostgresWarehouse, CopyRoundTripsEscapesAndNonAscii) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  PostgresWarehouse warehouse(db.uri());
  load(warehouse, edge_songs(), edge_events());
  EXPECT_EQ(query_scalar(db.uri(), "SELECT title FROM songs WHERE song_id = 'SOC'"), "Tab\there \\ back\nslash");
  EXPECT_EQ(query_scalar(db.uri(), "SELECT artist_location FROM staging_songs WHERE song_id = 'SOC'"),
            "Zürich\tCH");
  EXPECT_EQ(query_scalar(db.uri(), "SELECT COUNT(*) FROM staging_events"), "18");
}

TEST(PostgresWarehouse, LoadingTwiceGivesTheSameTables) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  PostgresWarehouse warehouse(db.uri());
  load(warehouse, edge_songs(), edge_events());
  auto first = read_star_from_postgres(db.uri());
  load(warehouse, edge_songs(), edge_events());
  EXPECT_EQ(first_difference(first, read_star_from_postgres(db.uri())), "");
}

TEST(PostgresWarehouse, AbortLeavesThePreviousTables) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  PostgresWarehouse warehouse(db.uri());
  load(warehouse, edge_songs(), edge_events());
  auto before = read_star_from_postgres(db.uri());
  warehouse.begin_load("test-load");
  warehouse.stage_songs({});
  warehouse.end_stage();
  warehouse.stage_events(edge_events());
  warehouse.end_stage();
  warehouse.transform();
  warehouse.abort();
  EXPECT_EQ(first_difference(before, read_star_from_postgres(db.uri())), "");
}

TEST(PostgresWarehouse, KilledConnectionDuringCopyCommitsNothing) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  {
    PostgresWarehouse warehouse(db.uri());
    load(warehouse, edge_songs(), edge_events());
  }
  auto before = read_star_from_postgres(db.uri());
  PostgresWarehouse warehouse(db.uri());
  warehouse.begin_load("test-load");
  auto events = edge_events();
  warehouse.stage_events(events);
  // Kill our backend while its COPY is open, from another session.
  query_scalar(db.uri(),
               "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
               "AND pid <> pg_backend_pid() AND query LIKE 'COPY staging_events%'");
  EXPECT_THROW(
      {
        for (int round = 0; round < 200; ++round) warehouse.stage_events(std::vector(500, events[0]));
        warehouse.end_stage();
        warehouse.transform();
        warehouse.commit(next_load_id());
      },
      WarehouseError);
  warehouse.abort();
  EXPECT_EQ(first_difference(before, read_star_from_postgres(db.uri())), "");
}

// The ledger row exists exactly when its load committed: a lake whose commit
// was interrupted asks it whether to complete or undo.
TEST(PostgresWarehouse, LedgerRecordsCommittedLoadsOnly) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  std::string committed = next_load_id();
  std::string rolled_back = next_load_id();
  {
    PostgresWarehouse warehouse(db.uri());
    warehouse.begin_load("test-load");
    warehouse.transform();
    warehouse.commit(committed);
  }
  {
    PostgresWarehouse warehouse(db.uri());
    warehouse.begin_load("test-load");
    warehouse.transform();
    warehouse.abort();
  }
  PostgresWarehouse warehouse(db.uri());
  EXPECT_TRUE(warehouse.has_committed(committed));
  EXPECT_FALSE(warehouse.has_committed(rolled_back));
  warehouse.create_tables();  // drops the star, keeps the ledger
  EXPECT_TRUE(warehouse.has_committed(committed));
}

TEST(PostgresWarehouse, ErrorsNameTheServerButNeverThePassword) {
  try {
    PostgresWarehouse warehouse("postgresql://alice:s3cr3t-pw@127.0.0.1:1/sparkify?connect_timeout=2");
    FAIL() << "connected to a closed port";
  } catch (const WarehouseError& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
    EXPECT_EQ(message.find("s3cr3t-pw"), std::string::npos) << message;
  }
  EXPECT_EQ(describe_conninfo("host=db port=5439 dbname=dev user=etl password='hunter2'"), "etl@db:5439/dev");
}

TEST(PostgresWarehouse, StatementTimeoutCancelsAStatementThatWaits) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  PostgresWarehouse(db.uri()).create_tables();
  // Another session holds staging_songs, so emptying it at the start of a
  // load waits for as long as that session keeps its transaction open.
  std::unique_ptr<PGconn, decltype(&PQfinish)> holder(PQconnectdb(db.uri().c_str()), &PQfinish);
  ASSERT_EQ(PQstatus(holder.get()), CONNECTION_OK);
  PQclear(PQexec(holder.get(), "BEGIN"));
  PGresult* locked = PQexec(holder.get(), "LOCK TABLE staging_songs IN ACCESS EXCLUSIVE MODE");
  ASSERT_EQ(PQresultStatus(locked), PGRES_COMMAND_OK);
  PQclear(locked);

  PostgresWarehouse warehouse(db.uri(), ConnectOptions{10, 1});
  auto start = std::chrono::steady_clock::now();
  try {
    warehouse.begin_load("test-load");
    FAIL() << "the load went past a table another session holds";
  } catch (const WarehouseError& error) {
    EXPECT_EQ(error.sqlstate(), "57014") << error.what();  // query_canceled
    EXPECT_NE(std::string(error.what()).find("statement timeout"), std::string::npos) << error.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  warehouse.abort();
}

TEST(PostgresWarehouse, FailedStatementNamesItselfAndKeepsSqlstate) {
  SPARKIFY_REQUIRE_POSTGRES();
  TestDatabase db;
  // A songplays table of another shape, left by some other tool.
  query_scalar(db.uri(), "CREATE TABLE songplays (x INTEGER)");
  PostgresWarehouse warehouse(db.uri());
  warehouse.begin_load("test-load");
  warehouse.stage_songs(edge_songs());
  warehouse.end_stage();
  try {
    warehouse.transform();
    FAIL() << "transform ran on a foreign songplays table";
  } catch (const WarehouseError& error) {
    EXPECT_EQ(error.sqlstate(), "42703");  // undefined_column
    EXPECT_NE(std::string(error.what()).find("transform songplays"), std::string::npos) << error.what();
  }
  warehouse.abort();
  EXPECT_EQ(query_scalar(db.uri(), "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'staging_songs'"),
            "0")
      << "the failed load's CREATE TABLEs are rolled back too";
}

}  // namespace
}  // namespace sparkify::warehouse
