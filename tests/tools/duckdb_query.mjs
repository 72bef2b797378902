// Runs one SQL statement in an in-memory DuckDB and prints the result:
// first {"columns":[{"name":…,"type":…},…]}, then one JSON array per row,
// every value as DuckDB's own text for it (or null). Exit 1, with DuckDB's
// message on stderr, when the statement fails.
//   node tests/tools/duckdb_query.mjs "SELECT …"
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv[2];
try {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes().map((type) => type.toString());
  const lines = [JSON.stringify({ columns: names.map((name, i) => ({ name, type: types[i] })) })];
  for (const row of reader.getRows()) {
    lines.push(JSON.stringify(row.map((value) => (value === null ? null : String(value)))));
  }
  process.stdout.write(lines.join('\n') + '\n');
} catch (error) {
  process.stderr.write(String(error && error.message ? error.message : error) + '\n');
  process.exit(1);
}
