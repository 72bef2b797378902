#include "cli/connection_flags.h"

namespace sparkify::cli {

void add_warehouse_flags(CLI::App& command, config::Flags& flags) {
  command.add_option_function<std::string>(
      "--config", [&flags](const std::string& path) { flags.config_path = path; },
      "INI file in the classic dwh.cfg layout: [CLUSTER] HOST DB_NAME DB_USER (required) DB_PASSWORD DB_PORT "
      "(optional: else PGPASSWORD or ~/.pgpass, and PGPORT or 5432), "
      "[S3] SONG_DATA LOG_DATA, [IAM_ROLE] ARN, [AWS] KEY SECRET REGION");
  command.add_option_function<std::string>(
      "--target", [&flags](const std::string& target) { flags.target = target; },
      "warehouse: a libpq URI such as postgresql://user@host:5432/db; 'postgresql://' alone takes "
      "PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE from the environment");
}

}  // namespace sparkify::cli
