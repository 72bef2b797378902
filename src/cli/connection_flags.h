// Flags that several subcommands share.
#pragma once

#include <CLI/CLI.hpp>

#include "config/settings.h"

namespace sparkify::cli {

// --config, --target, --connect-timeout and --statement-timeout.
void add_warehouse_flags(CLI::App& command, config::Flags& flags);

// --region, --s3-endpoint, --profile and --no-sign-request.
void add_s3_flags(CLI::App& command, config::Flags& flags);

// Copies a CLI11 option's value into an optional only when it was given.
template <typename T>
void set_if_given(const CLI::Option* option, const T& value, std::optional<T>& out) {
  if (option->count() > 0) out = value;
}

}  // namespace sparkify::cli
