#include <iostream>

#include "cli/commands.h"
#include "cli/connection_flags.h"
#include "config/settings.h"
#include "model/catalog.h"
#include "pipeline/open_target.h"

namespace sparkify::cli {

void add_create_tables_command(CLI::App& app, Action& run) {
  auto* command = app.add_subcommand("create-tables", "drop and recreate the staging and star-schema tables");
  auto flags = std::make_shared<config::Flags>();
  add_warehouse_flags(*command, *flags);
  command->callback([&run, flags] {
    run = [flags] {
      auto warehouse = pipeline::open_target_warehouse(*flags);
      warehouse->create_tables();
      std::string tables;
      for (const auto& name : model::staging_table_names()) tables += name + ", ";
      for (const auto& name : model::star_table_names()) tables += name + ", ";
      std::cout << "created " << tables << "sparkify_loads in " << warehouse->describe() << "\n";
      return 0;
    };
  });
}

}  // namespace sparkify::cli
