// Integration test of the Redshift emulator (tests/tools/redshift_emulator.mjs)
// against the test PostgreSQL and S3 server:
//
//   SPARKIFY_TEST_PG=postgresql://… SPARKIFY_TEST_S3_ENDPOINT=http://… \
//     node tests/tools/redshift_emulator.test.mjs
//
// Exits 77 (CTest's SKIP_RETURN_CODE) when either variable is unset or the
// npm test tools are not installed. It starts the emulator as a child
// process on a free port and puts its objects in a bucket of its own.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SKIP = 77;
const here = path.dirname(fileURLToPath(import.meta.url));
const upstream = process.env.SPARKIFY_TEST_PG;
const s3Endpoint = process.env.SPARKIFY_TEST_S3_ENDPOINT;
if (!upstream || !s3Endpoint) {
  console.log('skipped: set SPARKIFY_TEST_PG and SPARKIFY_TEST_S3_ENDPOINT '
    + '(eval "$(scripts/start-postgres.sh)"; eval "$(scripts/start-s3.sh)")');
  process.exit(SKIP);
}
let pg;
let DuckDBInstance;
try {
  pg = (await import('pg')).default;
  ({ DuckDBInstance } = await import('@duckdb/node-api'));
} catch {
  console.log('skipped: the npm test tools are not installed (scripts/install-test-tools.sh)');
  process.exit(SKIP);
}

const bucket = `rs-emulator-test-${process.pid}`;
const role = "IAM_ROLE 'arn:aws:iam::123456789012:role/test'";
let emulator;
let port;
const clients = [];

// ------------------------------------------------------------------ helpers

async function s3(method, key, body) {
  const url = `${s3Endpoint}/${bucket}${key === null ? '' : `/${key.split('/').map(encodeURIComponent).join('/')}`}`;
  const response = await fetch(url, { method, body });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response;
}
const put = (key, body) => s3('PUT', key, typeof body === 'string' ? Buffer.from(body) : body);

async function listKeys(prefix) {
  const response = await s3('GET', null);
  const xml = await response.text();
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]).filter((key) => key.startsWith(prefix)).sort();
}

// A new client of the emulator (closed after all tests).
async function connect() {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', ssl: false });
  client.on('notice', () => {});
  await client.connect();
  clients.push(client);
  return client;
}

// The error a statement fails with ({ code, message, … }); fails the test
// when it succeeds.
async function failure(client, queryConfig) {
  try {
    await client.query(queryConfig);
  } catch (error) {
    return error;
  }
  assert.fail(`expected an error from ${JSON.stringify(queryConfig)}`);
}

const direct = () => new pg.Client({ connectionString: upstream });

// ------------------------------------------------------------------ fixture

before(async () => {
  emulator = spawn(process.execPath, [
    path.join(here, 'redshift_emulator.mjs'), '--pg', upstream, '--s3', s3Endpoint, '--port', '0', '--slices', '2',
    '--lifetime-s', '600',
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  port = await new Promise((resolve, reject) => {
    emulator.on('exit', (code) => reject(new Error(`the emulator exited with ${code}`)));
    readline.createInterface({ input: emulator.stdout }).on('line', (line) => {
      const match = /^listening 127\.0\.0\.1:(\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  await s3('PUT', null);
});

after(async () => {
  for (const client of clients) await client.end().catch(() => {});
  emulator?.kill('SIGTERM');
  for (const key of await listKeys('').catch(() => [])) await s3('DELETE', key).catch(() => {});
  await s3('DELETE', null).catch(() => {});
});

// -------------------------------------------------------------------- tests

test('DDL with Redshift directives runs, and VARCHAR sizes are bytes', async () => {
  const client = await connect();
  await client.query('DROP TABLE IF EXISTS rs_ddl');
  await client.query(`CREATE TABLE IF NOT EXISTS rs_ddl (
      id BIGINT IDENTITY(0, 1) ENCODE az64,
      name VARCHAR(6) ENCODE zstd DISTKEY,
      note VARCHAR,
      code CHAR(2) ENCODE bytedict,
      body VARCHAR(MAX) ENCODE lzo,
      amount DOUBLE PRECISION ENCODE raw SORTKEY,
      PRIMARY KEY (id)
    ) DISTSTYLE KEY COMPOUND SORTKEY (amount, id) BACKUP NO`);
  await client.query("INSERT INTO rs_ddl (name, note, code, body, amount) VALUES ('ééé', 'x', 'ab', 'y', 1.5)");
  const tooLong = await failure(client, "INSERT INTO rs_ddl (name) VALUES ('éééé')");  // 4 characters, 8 bytes
  assert.equal(tooLong.code, '22001');
  assert.equal(tooLong.message, 'value too long for type character varying(6)');
  const defaultSize = await failure(client, { text: 'INSERT INTO rs_ddl (note) VALUES ($1)', values: ['x'.repeat(257)] });
  assert.equal(defaultSize.message, 'value too long for type character varying(256)');
  await client.query({ text: 'INSERT INTO rs_ddl (body) VALUES ($1)', values: ['x'.repeat(65535)] });
  // Character columns compare byte-wise, as Redshift's: 'Z' sorts before 'a'.
  await client.query("INSERT INTO rs_ddl (name) VALUES ('a'), ('Z')");
  const names = await client.query("SELECT name FROM rs_ddl WHERE name IN ('a', 'Z') ORDER BY name");
  assert.deepEqual(names.rows.map((r) => r.name), ['Z', 'a']);
  // PRIMARY KEY is not enforced on Redshift.
  await client.query('INSERT INTO rs_ddl (id, name) VALUES (100, $1), (100, $1)', ['dup']);
  const slices = await client.query('SELECT COUNT(*)::int AS n FROM stv_slices');
  assert.equal(slices.rows[0].n, 2);
  await client.query('ALTER TABLE rs_ddl ALTER DISTSTYLE ALL');
});

async function freshTable(client, name, columns) {
  await client.query(`DROP TABLE IF EXISTS ${name}`);
  await client.query(`CREATE TABLE ${name} (${columns}) DISTSTYLE EVEN`);
}

test("COPY JSON 'auto' loads several objects per line and objects across lines", async () => {
  const client = await connect();
  await freshTable(client, 'rs_auto', 'song_id VARCHAR(18), duration DOUBLE PRECISION, year INTEGER, title VARCHAR(256)');
  await put('auto/a/part1.json', '{"song_id": "S1", "duration": 218.9, "year": 0, "title": "One"} {"song_id": "S2", "duration": 1, "year": "1999", "title": ""}\n'
    + '{\n  "song_id": "S3",\n  "duration": null,\n  "title": "Three"\n}\n');
  await put('auto/a/part2.json', '{"song_id": "S4", "year": 2001, "Title": "ignored: case differs"}\n');
  await put('auto/ab.json', '{"song_id": "S5"}\n');  // the prefix 'auto/a' takes 'auto/ab.json' too
  const result = await client.query(`COPY rs_auto FROM 's3://${bucket}/auto/a' ${role} FORMAT AS JSON 'auto' REGION 'us-west-2' COMPUPDATE OFF STATUPDATE OFF`);
  assert.equal(result.command, 'COPY');
  assert.equal(result.rowCount, 5);
  const rows = await client.query('SELECT song_id, duration, year, title FROM rs_auto ORDER BY song_id');
  assert.deepEqual(rows.rows, [
    { song_id: 'S1', duration: 218.9, year: 0, title: 'One' },
    { song_id: 'S2', duration: 1, year: 1999, title: '' },
    { song_id: 'S3', duration: null, year: null, title: 'Three' },
    { song_id: 'S4', duration: null, year: 2001, title: null },
    { song_id: 'S5', duration: null, year: null, title: null },
  ]);
  const missing = await failure(client, `COPY rs_auto FROM 's3://${bucket}/nothing/here' ${role} FORMAT AS JSON 'auto'`);
  assert.equal(missing.code, 'XX000');
  assert.equal(missing.message, "The specified S3 prefix 'nothing/here' does not exist");
  const noRole = await failure(client, `COPY rs_auto FROM 's3://${bucket}/auto/a' FORMAT AS JSON 'auto'`);
  assert.match(noRole.message, /^Invalid credentials/);
});

test("COPY JSON 'auto ignorecase', EMPTYASNULL, BLANKSASNULL and epoch milliseconds", async () => {
  const client = await connect();
  await freshTable(client, 'rs_events', 'firstname VARCHAR(20), userid INTEGER, ts TIMESTAMP, page VARCHAR(10)');
  await put('events/e.json', '{"firstName": "Ann", "userId": "39", "ts": 1541033612796, "page": ""}\n'
    + '{"firstName": "  ", "userId": "", "ts": 1541033612000, "page": "Home"}\n');
  await client.query(`COPY rs_events FROM 's3://${bucket}/events/' ${role} FORMAT AS JSON 'auto ignorecase' TIMEFORMAT AS 'epochmillisecs' EMPTYASNULL BLANKSASNULL`);
  const rows = await client.query("SELECT firstname, userid, to_char(ts, 'YYYY-MM-DD HH24:MI:SS.MS') AS ts, page FROM rs_events ORDER BY ts");
  assert.deepEqual(rows.rows, [
    { firstname: null, userid: null, ts: '2018-11-01 00:53:32.000', page: 'Home' },
    { firstname: 'Ann', userid: 39, ts: '2018-11-01 00:53:32.796', page: null },
  ]);
  // 'auto' matches case-sensitively: camelCase keys load NULL.
  await client.query('TRUNCATE rs_events');
  await client.query(`COPY rs_events FROM 's3://${bucket}/events/' ${role} JSON 'auto' TIMEFORMAT 'epochmillisecs'`);
  const nulls = await client.query('SELECT count(*)::int AS n FROM rs_events WHERE firstname IS NULL AND userid IS NULL');
  assert.equal(nulls.rows[0].n, 2);
});

test('COPY with a jsonpaths file, GZIP, and a manifest', async () => {
  const client = await connect();
  await freshTable(client, 'rs_paths', 'artist VARCHAR(50), lat DOUBLE PRECISION, n BIGINT');
  await put('paths/events.jsonpaths', JSON.stringify({ jsonpaths: ["$['artistName']", '$.location.lat', '$.n'] }));
  await put('gz/1.json.gz', zlib.gzipSync('{"artistName": "Björk", "location": {"lat": 64.1}, "n": 7}\n'));
  await put('gz/2.json.gz', zlib.gzipSync('{"artistName": "Sigur Rós", "n": "8"}'));
  await client.query(`COPY rs_paths FROM 's3://${bucket}/gz/' ${role} FORMAT AS JSON 's3://${bucket}/paths/events.jsonpaths' GZIP`);
  const rows = await client.query('SELECT artist, lat, n FROM rs_paths ORDER BY artist');
  assert.deepEqual(rows.rows, [{ artist: 'Björk', lat: 64.1, n: '7' }, { artist: 'Sigur Rós', lat: null, n: '8' }]);

  await put('paths/two.jsonpaths', JSON.stringify({ jsonpaths: ['$.a', '$.b'] }));
  const mismatch = await failure(client, `COPY rs_paths FROM 's3://${bucket}/gz/' ${role} FORMAT AS JSON 's3://${bucket}/paths/two.jsonpaths' GZIP`);
  assert.match(mismatch.message, /^Number of jsonpaths and the number of columns should match\. JSONPath size: 2, Number of columns in table or column list: 3/);
  const underData = await failure(client, `COPY rs_paths FROM 's3://${bucket}/paths/' ${role} FORMAT AS JSON 's3://${bucket}/paths/events.jsonpaths'`);
  assert.match(underData.message, /under the data prefix/);

  await client.query('TRUNCATE rs_paths');
  await put('plain/m1.json', '{"artistName": "A", "n": 1}');
  await put('plain/m2.json', '{"artistName": "B", "n": 2}');
  await put('plain/skipped.json', '{"artistName": "C", "n": 3}');
  await put('manifests/good.manifest', JSON.stringify({ entries: [
    { url: `s3://${bucket}/plain/m1.json`, mandatory: true },
    { url: `s3://${bucket}/plain/m2.json`, mandatory: true },
    { url: `s3://${bucket}/plain/absent.json`, mandatory: false },
  ] }));
  await client.query(`COPY rs_paths FROM 's3://${bucket}/manifests/good.manifest' ${role} MANIFEST FORMAT AS JSON 's3://${bucket}/paths/events.jsonpaths'`);
  const loaded = await client.query('SELECT artist FROM rs_paths ORDER BY artist');
  assert.deepEqual(loaded.rows.map((r) => r.artist), ['A', 'B']);
  await put('manifests/bad.manifest', JSON.stringify({ entries: [{ url: `s3://${bucket}/plain/absent.json`, mandatory: true }] }));
  const mandatory = await failure(client, `COPY rs_paths FROM 's3://${bucket}/manifests/bad.manifest' ${role} MANIFEST FORMAT AS JSON 'auto'`);
  assert.equal(mandatory.code, 'XX000');
  assert.match(mandatory.message, /mandatory/);
});

test('a bad row is a load error that outlives ROLLBACK; MAXERROR decides whether the COPY fails', async () => {
  const client = await connect();
  await freshTable(client, 'rs_errors', 'ts BIGINT, artist VARCHAR(4)');
  await put('bad/f.json', '{"ts": 1541033612796, "artist": "ok"}\n{"ts": 1541033612796.0, "artist": "ok"}\n'
    + '{"ts": 1,\n "artist": "toolong"}\n{"ts": 2, "artist": "ok"}\n');
  await client.query('BEGIN');
  await client.query(`COPY rs_errors FROM 's3://${bucket}/bad/' ${role} FORMAT AS JSON 'auto' MAXERROR AS 2`);
  const copyId = (await client.query('SELECT pg_last_copy_id() AS id')).rows[0].id;
  const inside = await client.query('SELECT count(*)::int AS n FROM rs_errors');
  assert.equal(inside.rows[0].n, 2);
  await client.query('ROLLBACK');

  const errors = await client.query(`SELECT trim(filename) AS filename, line_number, trim(colname) AS colname,
      trim(type) AS type, trim(col_length) AS col_length, position, trim(raw_field_value) AS raw, err_code,
      trim(err_reason) AS reason
    FROM stl_load_errors WHERE query = $1 ORDER BY line_number`, [copyId]);
  assert.deepEqual(errors.rows, [
    { filename: `s3://${bucket}/bad/f.json`, line_number: '2', colname: 'ts', type: 'int8', col_length: '', position: 13,
      raw: '1541033612796.0', err_code: 1207, reason: "Invalid digit, Value '.', Pos 13, Type: Long" },
    // Redshift records the last line of a JSON object that spans lines.
    { filename: `s3://${bucket}/bad/f.json`, line_number: '4', colname: 'artist', type: 'varchar', col_length: '4',
      position: 0, raw: 'toolong', err_code: 1204, reason: 'String length exceeds DDL length' },
  ]);
  const detail = await client.query(`SELECT trim(file_name) AS file, trim(column_name) AS col, error_code
    FROM sys_load_error_detail WHERE query_id = $1 ORDER BY line_number`, [copyId]);
  assert.deepEqual(detail.rows.map((r) => [r.file, r.col, r.error_code]),
    [[`s3://${bucket}/bad/f.json`, 'ts', 1207], [`s3://${bucket}/bad/f.json`, 'artist', 1204]]);

  // The default MAXERROR is 0: the COPY fails, and so does the transaction.
  await client.query('BEGIN');
  await client.query("INSERT INTO rs_errors VALUES (0, 'a')");
  const failed = await failure(client, `COPY rs_errors FROM 's3://${bucket}/bad/f.json' ${role} FORMAT AS JSON 'auto'`);
  assert.equal(failed.code, 'XX000');
  assert.equal(failed.message, "Load into table 'rs_errors' failed.  Check 'stl_load_errors' system table for details.");
  const aborted = await failure(client, 'SELECT 1');
  assert.equal(aborted.code, '25P02');
  await client.query('ROLLBACK');
  const failedId = (await client.query('SELECT pg_last_copy_id() AS id')).rows[0].id;
  assert.ok(failedId > copyId);
  const recorded = await client.query('SELECT count(*)::int AS n FROM stl_load_errors WHERE query = $1', [failedId]);
  assert.equal(recorded.rows[0].n, 1);
  const left = await client.query('SELECT count(*)::int AS n FROM rs_errors');
  assert.equal(left.rows[0].n, 0);

  // Unparsable JSON is a load error too.
  await put('broken/b.json', '{"ts": 1, "artist": "a"}\n{"ts": 2, "artist": \n');
  await client.query(`COPY rs_errors FROM 's3://${bucket}/broken/' ${role} FORMAT AS JSON 'auto' MAXERROR 10`);
  const broken = await client.query('SELECT err_code, line_number FROM stl_load_errors WHERE query = pg_last_copy_id()');
  assert.equal(broken.rows.length, 1);
  assert.equal(broken.rows[0].err_code, 1216);
});

test('COPY from a second session has its own pg_last_copy_id', async () => {
  const first = await connect();
  const second = await connect();
  const none = await second.query('SELECT pg_last_copy_id() AS id');
  assert.equal(none.rows[0].id, -1);
  await freshTable(first, 'rs_ids', 'a INTEGER');
  await put('ids/a.json', '{"a": 1}');
  await first.query(`COPY rs_ids FROM 's3://${bucket}/ids/' ${role} JSON 'auto'`);
  const id = (await first.query('SELECT pg_last_copy_id() AS id')).rows[0].id;
  assert.ok(id >= 1000);
  assert.equal((await second.query('SELECT pg_last_copy_id() AS id')).rows[0].id, -1);
  // The extended protocol sees the same value.
  assert.equal((await first.query({ text: 'SELECT pg_last_copy_id() AS id', values: [], queryMode: 'extended' })).rows[0].id, id);
});

async function readParquet(files) {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-emu-test-'));
  try {
    for (const key of files) {
      const local = path.join(folder, key);
      fs.mkdirSync(path.dirname(local), { recursive: true });
      fs.writeFileSync(local, Buffer.from(await (await s3('GET', key)).arrayBuffer()));
    }
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const glob = path.join(folder, '**', '*.parquet');
    const rows = (await connection.runAndReadAll(
      `SELECT user_id, ts::VARCHAR AS ts, level, score, year, month FROM read_parquet('${glob}', hive_partitioning = true)
        ORDER BY user_id`)).getRowObjectsJson();
    const schema = (await connection.runAndReadAll(
      `SELECT DISTINCT name, type FROM parquet_schema('${glob}') WHERE name <> 'duckdb_schema' ORDER BY name`)).getRowObjectsJson();
    connection.closeSync();
    instance.closeSync();
    return { rows, schema };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

test('UNLOAD … PARTITION BY writes a hive-partitioned Parquet lake from uncommitted rows', async () => {
  const client = await connect();
  await freshTable(client, 'rs_unload', 'user_id INTEGER, ts TIMESTAMP, level VARCHAR(10), score BIGINT, year INTEGER, month INTEGER');
  await client.query('BEGIN');
  await client.query(`INSERT INTO rs_unload VALUES
      (1, '2018-11-01 00:53:32.796', 'free', 10, 2018, 11),
      (2, '2018-11-02 10:00:00', 'paid', 20, 2018, 11),
      (3, '2018-12-01 00:00:00', 'free', 30, 2018, 12),
      (4, NULL, NULL, NULL, NULL, NULL)`);
  const prefix = 'lake/songplays/';
  await client.query(`UNLOAD ('SELECT * FROM rs_unload WHERE level IS NULL OR level <> ''none''')
      TO 's3://${bucket}/${prefix}' ${role} FORMAT AS PARQUET PARTITION BY (year, month)`);
  await client.query('COMMIT');
  const keys = await listKeys(prefix);
  assert.deepEqual(keys, [
    `${prefix}year=2018/month=11/0000_part_00.parquet`,
    `${prefix}year=2018/month=11/0001_part_00.parquet`,
    `${prefix}year=2018/month=12/0000_part_00.parquet`,
    `${prefix}year=__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__/0000_part_00.parquet`,
  ]);
  const { rows, schema } = await readParquet(keys);
  assert.deepEqual(rows, [
    { user_id: 1, ts: '2018-11-01 00:53:32.796', level: 'free', score: '10', year: '2018', month: '11' },
    { user_id: 2, ts: '2018-11-02 10:00:00', level: 'paid', score: '20', year: '2018', month: '11' },
    { user_id: 3, ts: '2018-12-01 00:00:00', level: 'free', score: '30', year: '2018', month: '12' },
    { user_id: 4, ts: null, level: null, score: null, year: null, month: null },
  ]);
  // Partition columns are left out of the files; the types are kept.
  assert.deepEqual(schema, [
    { name: 'level', type: 'BYTE_ARRAY' }, { name: 'score', type: 'INT64' }, { name: 'ts', type: 'INT64' },
    { name: 'user_id', type: 'INT32' },
  ]);

  const notEmpty = await failure(client, `UNLOAD ('SELECT 1 AS a') TO 's3://${bucket}/${prefix}' ${role} FORMAT PARQUET`);
  assert.equal(notEmpty.code, 'XX000');
  assert.match(notEmpty.message, /^Specified unload destination on S3 is not empty/);
  await client.query(`UNLOAD ('SELECT user_id, year FROM rs_unload WHERE user_id = 1') TO 's3://${bucket}/${prefix}' ${role}
      FORMAT AS PARQUET PARTITION BY (year) INCLUDE CLEANPATH`);
  assert.deepEqual(await listKeys(prefix), [`${prefix}year=2018/0000_part_00.parquet`]);
  await client.query(`UNLOAD ('SELECT user_id FROM rs_unload') TO 's3://${bucket}/flat/users_' ${role} FORMAT AS PARQUET ALLOWOVERWRITE PARALLEL OFF`);
  assert.deepEqual(await listKeys('flat/'), ['flat/users_0000_part_00.parquet']);
});

test('TRUNCATE commits the transaction it runs in', async () => {
  const client = await connect();
  await freshTable(client, 'rs_trunc_a', 'a INTEGER');
  await freshTable(client, 'rs_trunc_b', 'b INTEGER');
  await client.query('INSERT INTO rs_trunc_b VALUES (1)');
  await client.query('BEGIN');
  await client.query('INSERT INTO rs_trunc_a VALUES (1)');
  const truncated = await client.query('TRUNCATE rs_trunc_b');
  assert.equal(truncated.command, 'TRUNCATE');
  await client.query('ROLLBACK');  // nothing left to roll back (PostgreSQL warns)
  const check = direct();
  await check.connect();
  try {
    assert.equal((await check.query('SELECT count(*)::int AS n FROM rs_trunc_a')).rows[0].n, 1);
    assert.equal((await check.query('SELECT count(*)::int AS n FROM rs_trunc_b')).rows[0].n, 0);
  } finally {
    await check.end();
  }
});

// Statement, expected SQLSTATE and message (a RegExp or the exact text).
const REFUSED = [
  ['COPY rs_refuse FROM STDIN', '0A000', 'LOAD source is not supported. (Hint: only S3 or DynamoDB or EMR based load is allowed)'],
  ['COPY rs_refuse TO STDOUT', '42601', 'syntax error at or near "TO"'],
  ['INSERT INTO rs_refuse VALUES (1) ON CONFLICT DO NOTHING', '42601', 'syntax error at or near "ON"'],
  ['SELECT DISTINCT ON (a) a FROM rs_refuse', '0A000', 'SELECT DISTINCT ON is not supported'],
  ['INSERT INTO rs_refuse VALUES (1) RETURNING a', '42601', 'syntax error at or near "RETURNING"'],
  ['CREATE TABLE rs_serial (id SERIAL)', '0A000', 'Column "rs_serial.id" has unsupported type "serial".'],
  ['CREATE TABLE rs_serial (id BIGSERIAL)', '0A000', 'Column "rs_serial.id" has unsupported type "bigserial".'],
  ['CREATE SEQUENCE rs_seq', '42601', 'syntax error at or near "SEQUENCE"'],
  ["SELECT nextval('rs_seq')", '42883', 'function nextval does not exist'],
  ['CREATE TABLE rs_gen (id INT GENERATED ALWAYS AS IDENTITY)', '42601', 'syntax error at or near "ALWAYS"'],
  ['CREATE TABLE rs_gen (id INT GENERATED BY DEFAULT AS IDENTITY)', '42601', 'syntax error at or near "IDENTITY"'],
  ['CREATE INDEX rs_i ON rs_refuse (a)', '42601', 'syntax error at or near "INDEX"'],
  ['CREATE TRIGGER t AFTER INSERT ON rs_refuse FOR EACH ROW EXECUTE FUNCTION f()', '42601', 'syntax error at or near "TRIGGER"'],
  ['CREATE UNLOGGED TABLE rs_u (a INT)', '42601', 'syntax error at or near "UNLOGGED"'],
  ['CREATE TABLE rs_j (a JSONB)', '0A000', 'Column "rs_j.a" has unsupported type "jsonb".'],
  ['CREATE TABLE rs_j (a JSON)', '0A000', 'Column "rs_j.a" has unsupported type "json".'],
  ["SELECT '{}'::jsonb", '42704', 'type "jsonb" does not exist'],
  ['WITH x AS (SELECT 1 AS a) INSERT INTO rs_refuse SELECT a FROM x', '42601', 'syntax error at or near "INSERT"'],
  ['WITH x AS (SELECT 1 AS a) DELETE FROM rs_refuse', '42601', 'syntax error at or near "DELETE"'],
  ['WITH x AS (SELECT 1 AS a) UPDATE rs_refuse SET a = 2', '42601', 'syntax error at or near "UPDATE"'],
  ['SELECT * FROM (VALUES (1), (2)) AS v (a)', '42601', 'syntax error at or near "VALUES"'],
  ['SELECT ARRAY[1, 2]', '42601', 'syntax error at or near "["'],
  ['SELECT a COLLATE "C" FROM rs_refuse', '42601', 'syntax error at or near "COLLATE"'],
  ['CREATE TABLE rs_c (a VARCHAR(3) COLLATE "C")', '42601', 'syntax error at or near "COLLATE"'],
  ['LISTEN rs_channel', '42601', 'syntax error at or near "LISTEN"'],
  ["NOTIFY rs_channel, 'x'", '42601', 'syntax error at or near "NOTIFY"'],
];

test('statements Redshift refuses fail with its error, in both protocols, and keep the transaction right', async () => {
  const client = await connect();
  await freshTable(client, 'rs_refuse', 'a INTEGER');
  for (const [sql, code, message] of REFUSED) {
    for (const extended of [false, true]) {
      const error = await failure(client, extended ? { text: sql, values: [], queryMode: 'extended' } : sql);
      assert.equal(error.code, code, `${sql} (${extended ? 'extended' : 'simple'})`);
      assert.equal(error.message, message, `${sql} (${extended ? 'extended' : 'simple'})`);
    }
  }
  // A refusal inside a transaction aborts it, as on Redshift.
  await client.query('BEGIN');
  await client.query('INSERT INTO rs_refuse VALUES (1)');
  await failure(client, { text: 'INSERT INTO rs_refuse VALUES ($1) RETURNING a', values: [2] });
  assert.equal((await failure(client, 'SELECT 1')).code, '25P02');
  await client.query('ROLLBACK');
  assert.equal((await client.query('SELECT count(*)::int AS n FROM rs_refuse')).rows[0].n, 0);
  // Keywords inside literals and quoted names do not count.
  const literal = await client.query(`SELECT 'ON CONFLICT RETURNING ARRAY[1] (VALUES' AS "returning", $$nextval(x)$$ AS b`);
  assert.equal(literal.rows[0].returning, 'ON CONFLICT RETURNING ARRAY[1] (VALUES');
  // The accepted form of WITH in an INSERT.
  await client.query('INSERT INTO rs_refuse WITH x AS (SELECT 5 AS a) SELECT a FROM x');
});

test('everything else passes through, with parameters in the extended protocol', async () => {
  const client = await connect();
  await freshTable(client, 'rs_pass', 'user_id INTEGER, level VARCHAR(10), ts BIGINT');
  await client.query('BEGIN');
  for (const [user, level, ts] of [[1, 'free', 1541033612796], [1, 'paid', 1541033700000], [2, 'free', 1541033612000]]) {
    await client.query('INSERT INTO rs_pass VALUES ($1, $2, $3)', [user, level, ts]);
  }
  const latest = await client.query(`SELECT user_id, level FROM (
      SELECT user_id, level, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS n FROM rs_pass) s
    WHERE n = 1 ORDER BY user_id`);
  assert.deepEqual(latest.rows, [{ user_id: 1, level: 'paid' }, { user_id: 2, level: 'free' }]);
  const time = await client.query(`SELECT EXTRACT(hour FROM TIMESTAMP 'epoch' + $1::bigint / 1000 * INTERVAL '1 second')::int AS h`,
    [1541033612796]);
  assert.equal(time.rows[0].h, 0);
  await client.query('COMMIT');
  await freshTable(client, 'rs_pass_target', 'user_id INTEGER, level VARCHAR(10)');
  const merged = await client.query(`MERGE INTO rs_pass_target t USING rs_pass s ON t.user_id = s.user_id
      WHEN MATCHED THEN UPDATE SET level = s.level WHEN NOT MATCHED THEN INSERT VALUES (s.user_id, s.level)`);
  assert.equal(merged.rowCount, 3);
  await client.query('DELETE FROM rs_pass WHERE user_id = $1', [2]);
  await client.query('DROP TABLE IF EXISTS rs_pass, rs_pass_target');
  // Several statements in one simple query, one of them emulated.
  await freshTable(client, 'rs_multi', 'a INTEGER');
  await client.query(`INSERT INTO rs_multi VALUES (1); TRUNCATE rs_multi; INSERT INTO rs_multi VALUES (2)`);
  assert.equal((await client.query('SELECT sum(a)::int AS s FROM rs_multi')).rows[0].s, 2);
});
