#include "warehouse/postgres_warehouse.h"

#include <libpq-fe.h>

#include <cstdint>
#include <vector>

#include "model/error.h"
#include "warehouse/copy_text.h"
#include "warehouse/postgres_connect_internal.h"
#include "warehouse/postgres_sql.h"
#include "warehouse/transform_sql.h"

namespace sparkify::warehouse {
namespace {

// Bytes gathered before one PQputCopyData: large enough to amortise the
// call, small enough to keep the server busy while we encode.
constexpr size_t kCopyChunkBytes = 1 << 20;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string sqlstate_of(const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  return state ? state : "";
}

void ignore_notice(void*, const char*) {}

// "user@host:port/dbname" of a connection, made or failed.
std::string describe_connection(const PGconn* conn) {
  return std::string(PQuser(conn)) + "@" + PQhost(conn) + ":" + PQport(conn) + "/" + PQdb(conn);
}

}  // namespace

struct PostgresWarehouse::Connection {
  PGconn* conn = nullptr;
  std::string where;  // user@host:port/db

  ~Connection() {
    if (conn) PQfinish(conn);
  }

  // Runs one statement; `what` names it in the error.
  Result exec(const char* sql, const char* what, ExecStatusType expected = PGRES_COMMAND_OK) {
    Result result(PQexec(conn, sql));
    check(result, what, expected);
    return result;
  }

  // As exec(), with $1… bound to `params` (text): values never become SQL.
  Result exec_with(const char* sql, const std::vector<std::string>& params, const char* what,
                   ExecStatusType expected = PGRES_COMMAND_OK) {
    std::vector<const char*> values;
    for (const auto& param : params) values.push_back(param.c_str());
    Result result(PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
    check(result, what, expected);
    return result;
  }

  void check(const Result& result, const char* what, ExecStatusType expected) {
    if (!result || PQresultStatus(result.get()) != expected) {
      std::string message = result ? trimmed(PQresultErrorMessage(result.get())) : trimmed(PQerrorMessage(conn));
      if (message.empty()) message = trimmed(PQerrorMessage(conn));
      std::string state = sqlstate_of(result.get());
      throw WarehouseError("PostgreSQL " + where + ": " + what + " failed" +
                               (state.empty() ? "" : " (SQLSTATE " + state + ")") + ": " + message,
                           state);
    }
  }

  [[noreturn]] void fail(const std::string& what) {
    throw WarehouseError("PostgreSQL " + where + ": " + what + ": " + trimmed(PQerrorMessage(conn)), "");
  }
};

std::string describe_conninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (error) PQfreemem(error);
  if (!options) return "(unparsable connection string)";
  std::string user, host, port, dbname;
  for (PQconninfoOption* option = options; option->keyword; ++option) {
    if (!option->val) continue;
    std::string keyword = option->keyword;
    if (keyword == "user") user = option->val;
    if (keyword == "host" || (keyword == "hostaddr" && host.empty())) host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") dbname = option->val;
  }
  PQconninfoFree(options);
  std::string out;
  if (!user.empty()) out += user + "@";
  out += host.empty() ? "(default host)" : host;
  if (!port.empty()) out += ":" + port;
  if (!dbname.empty()) out += "/" + dbname;
  return out;
}

PostgresWarehouse::PostgresWarehouse(const std::string& conninfo, const ConnectOptions& options)
    : connection_(std::make_unique<Connection>()) {
  // An empty URI means: all from the environment (PGHOST, PGPORT, …).
  std::string effective = conninfo == "postgresql://" || conninfo == "postgres://" ? "" : conninfo;
  postgres_internal::ConnectParameters parameters = postgres_internal::connect_parameters(effective, options);
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (size_t idx = 0; idx < parameters.keywords.size(); ++idx) {
    keywords.push_back(parameters.keywords[idx].c_str());
    values.push_back(parameters.values[idx].c_str());
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  connection_->conn = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  PGconn* conn = connection_->conn;
  if (!conn) throw WarehouseError("PostgreSQL: out of memory while connecting", "");
  if (PQstatus(conn) != CONNECTION_OK) {
    // The host and port libpq tried last, filled in from PGHOST and the
    // defaults too; else what the string names.
    std::string where = *PQhost(conn) ? describe_connection(conn) : describe_conninfo(effective);
    std::string message = trimmed(PQerrorMessage(conn));
    if (message.find("timeout expired") != std::string::npos) {
      throw WarehouseError("cannot connect to PostgreSQL " + where + ": timed out, no answer within " +
                               std::to_string(parameters.connect_timeout_s) + " s (" + message + ")",
                           "08001");
    }
    throw WarehouseError("cannot connect to PostgreSQL " + where + ": " + message, "08001");
  }
  connection_->where = describe_connection(conn);
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  connection_->exec("SET client_min_messages = warning", "set client_min_messages");
  if (parameters.set_statement_timeout) {
    // In milliseconds, which PostgreSQL and Redshift both take as a bare number.
    std::string set = "SET statement_timeout = " + std::to_string(int64_t{options.statement_timeout_s} * 1000);
    connection_->exec(set.c_str(), "set statement_timeout");
  }
}

PostgresWarehouse::~PostgresWarehouse() { abort(); }

std::string PostgresWarehouse::describe() const { return connection_->where; }

void PostgresWarehouse::create_tables() {
  connection_->exec("BEGIN", "begin");
  connection_->exec(postgres_sql::kDropTables, "drop tables");
  for (const char* create : postgres_sql::kCreateTables) connection_->exec(create, "create table");
  connection_->exec("COMMIT", "commit");
}

void PostgresWarehouse::begin_load() {
  connection_->exec("BEGIN", "begin");
  in_transaction_ = true;
  for (const char* create : postgres_sql::kCreateTables) connection_->exec(create, "create table");
  connection_->exec(postgres_sql::kEmptyStaging, "empty staging tables");
}

void PostgresWarehouse::start_copy(Staging table) {
  if (staging_ == table) return;
  if (staging_ != Staging::kNone) end_stage();
  const char* sql = table == Staging::kSongs ? postgres_sql::kCopySongs : postgres_sql::kCopyEvents;
  connection_->exec(sql, table == Staging::kSongs ? "COPY staging_songs" : "COPY staging_events",
                    PGRES_COPY_IN);
  staging_ = table;
  copy_buffer_.clear();
  copy_buffer_.reserve(kCopyChunkBytes + (64 << 10));
}

void PostgresWarehouse::flush_copy_buffer(bool force) {
  if (copy_buffer_.empty() || (!force && copy_buffer_.size() < kCopyChunkBytes)) return;
  if (PQputCopyData(connection_->conn, copy_buffer_.data(), static_cast<int>(copy_buffer_.size())) != 1) {
    connection_->fail(staging_ == Staging::kSongs ? "COPY staging_songs" : "COPY staging_events");
  }
  copy_buffer_.clear();
}

void PostgresWarehouse::stage_songs(const std::vector<model::SongRecord>& songs) {
  start_copy(Staging::kSongs);
  append_copy_rows(songs, copy_buffer_);
  flush_copy_buffer(false);
}

void PostgresWarehouse::stage_events(const std::vector<model::EventRecord>& events) {
  start_copy(Staging::kEvents);
  append_copy_rows(events, copy_buffer_);
  flush_copy_buffer(false);
}

void PostgresWarehouse::end_stage() {
  if (staging_ == Staging::kNone) return;
  const char* what = staging_ == Staging::kSongs ? "COPY staging_songs" : "COPY staging_events";
  flush_copy_buffer(true);
  staging_ = Staging::kNone;
  if (PQputCopyEnd(connection_->conn, nullptr) != 1) connection_->fail(what);
  // The COPY's own result, then the end of results.
  Result result(PQgetResult(connection_->conn));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    std::string state = sqlstate_of(result.get());
    std::string message = result ? trimmed(PQresultErrorMessage(result.get())) : trimmed(PQerrorMessage(connection_->conn));
    while (Result rest{PQgetResult(connection_->conn)}) {
    }
    throw WarehouseError("PostgreSQL " + connection_->where + ": " + what + " failed" +
                             (state.empty() ? "" : " (SQLSTATE " + state + ")") + ": " + message,
                         state);
  }
  while (Result rest{PQgetResult(connection_->conn)}) {
  }
}

TableCounts PostgresWarehouse::transform() {
  end_stage();
  connection_->exec(postgres_sql::kEmptyStar, "empty star tables");
  connection_->exec(sql::kInsertSongplays, "transform songplays");
  connection_->exec(sql::kInsertUsers, "transform users");
  connection_->exec(sql::kInsertSongs, "transform songs");
  connection_->exec(sql::kInsertArtists, "transform artists");
  connection_->exec(sql::kInsertTime, "transform time");
  Result counts = connection_->exec(postgres_sql::kCountTables, "count rows", PGRES_TUPLES_OK);
  auto count = [&](int column) { return std::stoll(PQgetvalue(counts.get(), 0, column)); };
  return TableCounts{count(0), count(1), count(2), count(3), count(4), count(5), count(6)};
}

void PostgresWarehouse::commit(const std::string& load_id) {
  end_stage();
  connection_->exec_with(postgres_sql::kRecordLoad, {load_id}, "record the load in sparkify_loads");
  connection_->exec("COMMIT", "commit");
  in_transaction_ = false;
}

bool PostgresWarehouse::has_committed(const std::string& load_id) {
  if (!in_transaction_) connection_->exec(postgres_sql::kCreateLoads, "create sparkify_loads");
  Result found =
      connection_->exec_with(postgres_sql::kFindLoad, {load_id}, "look up the load in sparkify_loads", PGRES_TUPLES_OK);
  return PQntuples(found.get()) > 0;
}

void PostgresWarehouse::abort() noexcept {
  if (!connection_ || !connection_->conn) return;
  if (staging_ != Staging::kNone) {
    PQputCopyEnd(connection_->conn, "load aborted");
    while (Result rest{PQgetResult(connection_->conn)}) {
    }
    staging_ = Staging::kNone;
  }
  if (in_transaction_) {
    if (PQstatus(connection_->conn) == CONNECTION_OK) PQclear(PQexec(connection_->conn, "ROLLBACK"));
    in_transaction_ = false;
  }
}

}  // namespace sparkify::warehouse
