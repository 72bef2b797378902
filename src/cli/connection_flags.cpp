#include "cli/connection_flags.h"

namespace sparkify::cli {

void add_warehouse_flags(CLI::App& command, config::Flags& flags) {
  command.add_option_function<std::string>(
      "--config", [&flags](const std::string& path) { flags.config_path = path; },
      "INI file in the classic dwh.cfg layout: [CLUSTER] HOST DB_NAME DB_USER (required) DB_PASSWORD DB_PORT "
      "(optional: else PGPASSWORD or ~/.pgpass, and PGPORT or 5432), "
      "[S3] SONG_DATA LOG_DATA LOG_JSONPATH, [IAM_ROLE] ARN (a Redshift cluster), [AWS] KEY SECRET REGION");
  command.add_option_function<std::string>(
      "--target", [&flags](const std::string& target) { flags.target = target; },
      "warehouse: a libpq URI such as postgresql://user@host:5432/db (or postgres://), or libpq keyword=value "
      "pairs such as 'host=db dbname=sparkify user=etl'; 'postgresql://' alone takes "
      "PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE from the environment; "
      "redshift://user@cluster...redshift.amazonaws.com:5439/dev is Amazon Redshift (TLS required unless "
      "?sslmode= says otherwise)");
  command.add_option_function<std::string>(
      "--iam-role", [&flags](const std::string& arn) { flags.iam_role = arn; },
      "Redshift: the IAM role ARN that COPY and UNLOAD act as (else [IAM_ROLE] ARN of the config file, "
      "which also makes its [CLUSTER] a Redshift cluster)");
  command.add_option_function<int>(
      "--connect-timeout", [&flags](int seconds) { flags.connect_timeout_s = seconds; },
      "seconds to wait for the warehouse to accept the connection and the login before failing (default " +
          std::to_string(config::kDefaultConnectTimeoutS) +
          "; 0: no limit; a connect_timeout in --target wins). TCP keep-alives are on, so a link that drops "
          "later is noticed within about a minute");
  command.add_option_function<int>(
      "--statement-timeout", [&flags](int seconds) { flags.statement_timeout_s = seconds; },
      "seconds one warehouse statement may run before the server cancels it and the run fails (default 0: "
      "no limit of ours, the server's setting stays; a long COPY is normal)");
}

void add_s3_flags(CLI::App& command, config::Flags& flags) {
  command.add_option_function<std::string>(
      "--region", [&flags](const std::string& v) { flags.aws_region = v; },
      "AWS region of the buckets (else AWS_REGION, AWS_DEFAULT_REGION, the profile's, us-east-1)");
  command.add_option_function<std::string>(
      "--s3-endpoint", [&flags](const std::string& v) { flags.s3_endpoint = v; },
      "an S3-compatible server, e.g. http://127.0.0.1:4568 (else AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL; "
      "path-style addressing)");
  command.add_option_function<std::string>(
      "--profile", [&flags](const std::string& v) { flags.aws_profile = v; },
      "profile of ~/.aws/credentials and ~/.aws/config (else AWS_PROFILE, default)");
  command.add_flag_function(
      "--no-sign-request", [&flags](int64_t count) { flags.no_sign_request = count > 0; },
      "read public buckets anonymously (no credentials)");
}

}  // namespace sparkify::cli
