#include "warehouse/pq_connection.h"

#include <libpq-fe.h>

#include <cstdint>

#include "model/error.h"
#include "warehouse/postgres_connect_internal.h"

namespace sparkify::warehouse {
namespace {

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

// Fails with the server's message when `result` is not `expected`.
void check(PGconn* conn, const Result& result, const std::string& server, const std::string& where, const char* what,
           ExecStatusType expected) {
  if (result && PQresultStatus(result.get()) == expected) return;
  std::string message = result ? trimmed(PQresultErrorMessage(result.get())) : trimmed(PQerrorMessage(conn));
  if (message.empty()) message = trimmed(PQerrorMessage(conn));
  std::string state = sqlstate_of(result.get());
  throw WarehouseError(server + " " + where + ": " + what + " failed" +
                           (state.empty() ? "" : " (SQLSTATE " + state + ")") + ": " + message,
                       state);
}

// Drains what is left of a command's results.
void drain(PGconn* conn) {
  while (Result rest{PQgetResult(conn)}) {
  }
}

}  // namespace

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

PqConnection::PqConnection(std::string server, const std::string& conninfo, const ConnectOptions& options)
    : server_(std::move(server)) {
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
  conn_ = PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  if (!conn_) throw WarehouseError(server_ + ": out of memory while connecting", "");
  if (PQstatus(conn_) != CONNECTION_OK) {
    // The host and port libpq tried last, filled in from PGHOST and the
    // defaults too; else what the string names.
    std::string where = *PQhost(conn_) ? describe_connection(conn_) : describe_conninfo(effective);
    std::string message = trimmed(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    if (message.find("timeout expired") != std::string::npos) {
      throw WarehouseError("cannot connect to " + server_ + " " + where + ": timed out, no answer within " +
                               std::to_string(parameters.connect_timeout_s) + " s (" + message + ")",
                           "08001");
    }
    throw WarehouseError("cannot connect to " + server_ + " " + where + ": " + message, "08001");
  }
  where_ = describe_connection(conn_);
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  run("SET client_min_messages = warning", "set client_min_messages");
  if (parameters.set_statement_timeout) {
    // In milliseconds, which PostgreSQL and Redshift both take as a bare number.
    run("SET statement_timeout = " + std::to_string(int64_t{options.statement_timeout_s} * 1000),
        "set statement_timeout");
  }
}

PqConnection::PqConnection(std::string server, std::string where, std::ostream& out)
    : server_(std::move(server)), where_(std::move(where)), rehearsal_out_(&out) {}

PqConnection::~PqConnection() {
  if (conn_) PQfinish(conn_);
}

void PqConnection::note(std::string_view text) {
  if (rehearsal_out_) *rehearsal_out_ << "-- " << text << "\n";
}

void PqConnection::run(std::string_view sql, const char* what) { run_with(sql, {}, what); }

void PqConnection::run_with(std::string_view sql, const std::vector<std::string>& params, const char* what) {
  query(sql, params, what);
}

std::shared_ptr<pg_result> PqConnection::execute(std::string_view sql, const std::vector<std::string>& params,
                                                 const char* what) {
  std::string statement(sql);
  if (rehearsal_out_) {
    while (!statement.empty() && (statement.front() == '\n' || statement.front() == ' ')) statement.erase(0, 1);
    while (!statement.empty() && (statement.back() == '\n' || statement.back() == ' ')) statement.pop_back();
    *rehearsal_out_ << statement << ";\n";
    for (size_t idx = 0; idx < params.size(); ++idx) {
      *rehearsal_out_ << "--   $" << idx + 1 << " = '" << params[idx] << "'\n";
    }
    return nullptr;
  }
  Result result;
  if (params.empty()) {
    result.reset(PQexec(conn_, statement.c_str()));
  } else {
    std::vector<const char*> values;
    for (const auto& param : params) values.push_back(param.c_str());
    result.reset(PQexecParams(conn_, statement.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                              nullptr, nullptr, 0));
  }
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  check(conn_, result, server_, where_, what, status == PGRES_TUPLES_OK ? PGRES_TUPLES_OK : PGRES_COMMAND_OK);
  return std::shared_ptr<pg_result>(result.release(), ResultDeleter{});
}

std::vector<PqConnection::Row> PqConnection::query(std::string_view sql, const std::vector<std::string>& params,
                                                   const char* what) {
  std::shared_ptr<pg_result> result = execute(sql, params, what);
  std::vector<Row> rows;
  if (!result || PQresultStatus(result.get()) != PGRES_TUPLES_OK) return rows;
  int columns = PQnfields(result.get());
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    Row values;
    for (int column = 0; column < columns; ++column) {
      if (PQgetisnull(result.get(), row, column)) {
        values.emplace_back();
      } else {
        values.emplace_back(std::string(PQgetvalue(result.get(), row, column),
                                         static_cast<size_t>(PQgetlength(result.get(), row, column))));
      }
    }
    rows.push_back(std::move(values));
  }
  return rows;
}

int64_t PqConnection::run_counting(std::string_view sql, const char* what) {
  std::shared_ptr<pg_result> result = execute(sql, {}, what);
  if (!result) return 0;
  const char* changed = PQcmdTuples(result.get());
  return changed && *changed ? std::stoll(changed) : 0;
}

void PqConnection::copy_start(std::string_view sql, const char* what) {
  if (rehearsal_out_) {
    *rehearsal_out_ << sql << ";\n-- (the rows)\n";
    return;
  }
  Result result(PQexec(conn_, std::string(sql).c_str()));
  check(conn_, result, server_, where_, what, PGRES_COPY_IN);
}

void PqConnection::copy_put(std::string_view data, const char* what) {
  if (rehearsal_out_ || data.empty()) return;
  if (PQputCopyData(conn_, data.data(), static_cast<int>(data.size())) != 1) {
    throw WarehouseError(server_ + " " + where_ + ": " + what + ": " + trimmed(PQerrorMessage(conn_)), "");
  }
}

void PqConnection::copy_end(const char* what) {
  if (rehearsal_out_) return;
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    throw WarehouseError(server_ + " " + where_ + ": " + what + ": " + trimmed(PQerrorMessage(conn_)), "");
  }
  // The COPY's own result, then the end of results.
  Result result(PQgetResult(conn_));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    std::string state = sqlstate_of(result.get());
    std::string message = result ? trimmed(PQresultErrorMessage(result.get())) : trimmed(PQerrorMessage(conn_));
    drain(conn_);
    throw WarehouseError(server_ + " " + where_ + ": " + what + " failed" +
                             (state.empty() ? "" : " (SQLSTATE " + state + ")") + ": " + message,
                         state);
  }
  drain(conn_);
}

void PqConnection::copy_cancel() noexcept {
  if (!conn_) return;
  PQputCopyEnd(conn_, "load aborted");
  drain(conn_);
}

void PqConnection::rollback() noexcept {
  if (rehearsal_out_) {
    *rehearsal_out_ << "ROLLBACK;\n";
    return;
  }
  if (conn_ && PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
}

}  // namespace sparkify::warehouse
