// Runs bench/duckdb_lake_job.sql in DuckDB (the npm package installed under
// tests/tools by scripts/install-test-tools.sh).
//   node bench/duckdb_lake_job.mjs SONG_DIR LOG_DIR OUT_DIR
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const [songs, logs, out] = process.argv.slice(2);
const require = createRequire(new URL('../tests/tools/package.json', import.meta.url));
const { DuckDBInstance } = require('@duckdb/node-api');

const sql = readFileSync(new URL('./duckdb_lake_job.sql', import.meta.url), 'utf8')
  .replaceAll('{SONGS}', songs).replaceAll('{LOGS}', logs).replaceAll('{OUT}', out);
// DuckDB's COPY makes neither the lake folder nor an unpartitioned table's.
for (const table of ['users', 'artists']) mkdirSync(`${out}/${table}`, { recursive: true });
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
// DuckDB spills to the temporary folder on disk, not into the current
// folder, and the spill goes even when the job fails.
const spill = `${tmpdir()}/sparkify-duckdb-spill-${process.pid}`;
process.on('exit', () => rmSync(spill, { recursive: true, force: true }));
await connection.run(`SET temp_directory = '${spill}'`);
for (const statement of sql.split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean)) {
  await connection.run(statement);
}
