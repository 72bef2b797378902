#include <iostream>

#include "cli/commands.h"
#include "cli/connection_flags.h"
#include "config/settings.h"
#include "model/catalog.h"
#include "warehouse/open_warehouse.h"

namespace sparkify::cli {

void add_create_tables_command(CLI::App& app, Action& run) {
  auto* command = app.add_subcommand("create-tables", "drop and recreate the staging and star-schema tables");
  auto flags = std::make_shared<config::Flags>();
  add_warehouse_flags(*command, *flags);
  command->callback([&run, flags] {
    run = [flags] {
      config::WarehouseTarget target = config::resolve_target(*flags);
      config::Timeouts timeouts = config::resolve_timeouts(*flags);
      warehouse::WarehouseSpec spec;
      spec.kind = target.kind;
      spec.conninfo = target.conninfo;
      spec.connect = {timeouts.connect_s, timeouts.statement_s};
      auto warehouse = warehouse::open_warehouse(spec);
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
