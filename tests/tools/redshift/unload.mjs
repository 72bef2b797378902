// UNLOAD … FORMAT PARQUET: the query's rows (already fetched as text)
// written as Parquet with DuckDB into a temporary folder, laid out as
// Redshift lays them out, and uploaded to the S3 server.
//
// Layout: each slice writes its own files, `<prefix><slice>_part_<nn>
// .parquet` (slice as 4 digits, nn counting files of one slice past
// MAXFILESIZE); rows go to slices round-robin, and only slices with rows
// write. PARTITION BY (a, b) puts files under `<prefix>a=…/b=…/` (with a
// `/` after the prefix when it lacks one), NULL as
// __HIVE_DEFAULT_PARTITION__, and leaves a and b out of the files unless
// INCLUDE.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

// PostgreSQL type OIDs → DuckDB types that give the Parquet types Redshift
// writes (INTEGER → INT32, BIGINT → INT64, DOUBLE → DOUBLE, VARCHAR →
// string, TIMESTAMP → timestamp).
const DUCKDB_TYPES = {
  16: 'BOOLEAN', 20: 'BIGINT', 21: 'SMALLINT', 23: 'INTEGER', 700: 'FLOAT', 701: 'DOUBLE', 1082: 'DATE',
  1114: 'TIMESTAMP', 1184: 'TIMESTAMPTZ', 1083: 'TIME', 25: 'VARCHAR', 1043: 'VARCHAR', 1042: 'VARCHAR',
};

function duckdbType(field) {
  if (field.typeOid === 1700) {
    if (field.typeMod < 4) return 'DECIMAL(18,0)';  // Redshift's default NUMERIC
    const precision = ((field.typeMod - 4) >> 16) & 0xffff;
    const scale = (field.typeMod - 4) & 0xffff;
    return precision <= 38 ? `DECIMAL(${precision},${scale})` : 'DOUBLE';
  }
  return DUCKDB_TYPES[field.typeOid] ?? 'VARCHAR';
}

// Hive's escaping of partition values (the characters it escapes as %XX).
const partitionValue = (value) => (value === null ? NULL_PARTITION
  : value.replace(/["#%'*/:=?\\\x00-\x1f\x7f{}[\]^]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`));

const sqlString = (text) => `'${text.replace(/'/g, "''")}'`;
const sqlIdent = (text) => `"${text.replace(/"/g, '""')}"`;

// Writes and uploads the files; returns the keys written. `result`:
// { fields: [{ name, typeOid, typeMod }], rows: [[text|null]] };
// `destination`: { bucket, key } of the TO prefix; `options`: UNLOAD's.
export async function unloadParquet({ result, destination, options, slices, s3 }) {
  const partitionColumns = options.PARTITION ?? [];
  const partitionIndexes = partitionColumns.map((name) => result.fields.findIndex((f) => f.name === name));
  const fileColumns = result.fields.map((field, index) => ({ ...field, index }))
    .filter((field) => options.INCLUDE || !partitionIndexes.includes(field.index));
  const files = assignFiles(result.rows, partitionIndexes, options.PARALLEL === 'OFF' || options.PARALLEL === 'FALSE' ? 1 : slices);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-unload-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rowsFile = path.join(folder, 'rows.ndjson');
    writeRowsAsJson(rowsFile, result, files.rowFile);
    const columnsSpec = result.fields.map((f, i) => `c${i}: 'VARCHAR'`).concat(["f: 'INTEGER'", "r: 'BIGINT'"]).join(', ');
    await connection.run(`CREATE TABLE rows AS SELECT * FROM read_json(${sqlString(rowsFile)}, format = 'newline_delimited', columns = {${columnsSpec}})`);
    const select = fileColumns.map((f) => `CAST(c${f.index} AS ${duckdbType(f)}) AS ${sqlIdent(f.name)}`).join(', ');
    const keys = [];
    for (const file of files.list) {
      const local = path.join(folder, `${file.id}.parquet`);
      const chunks = await writeFileSplit(connection, select, file, local, options.MAXFILESIZE);
      for (const [part, chunkPath] of chunks.entries()) {
        const key = fileKey(destination.key, partitionColumns, file, part);
        await s3.put(destination.bucket, key, fs.readFileSync(chunkPath));
        keys.push(key);
      }
    }
    return keys;
  } finally {
    connection.closeSync();
    instance.closeSync();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

// Each row's file: rows of one partition go round-robin to the slices.
// { rowFile: [file id per row], list: [{ id, slice, values }] }, where
// `values` are the partition values. A query without rows still writes
// one empty file for slice 0, so that readers find the schema.
function assignFiles(rows, partitionIndexes, slices) {
  const byPartition = new Map();
  const list = [];
  const rowFile = rows.map((row) => {
    const values = partitionIndexes.map((i) => row[i]);
    const partitionKey = JSON.stringify(values);
    let partition = byPartition.get(partitionKey);
    if (!partition) {
      partition = { values, count: 0, files: new Map() };
      byPartition.set(partitionKey, partition);
    }
    const slice = partition.count++ % slices;
    let file = partition.files.get(slice);
    if (!file) {
      file = { id: list.length, slice, values };
      partition.files.set(slice, file);
      list.push(file);
    }
    return file.id;
  });
  if (rows.length === 0 && partitionIndexes.length === 0) list.push({ id: 0, slice: 0, values: [] });
  return { rowFile, list };
}

function writeRowsAsJson(file, result, rowFile) {
  const stream = fs.openSync(file, 'w');
  try {
    result.rows.forEach((row, rowIndex) => {
      const record = { f: rowFile[rowIndex], r: rowIndex };
      row.forEach((value, i) => {
        const field = result.fields[i];
        record[`c${i}`] = value !== null && field.typeOid === 16 ? (value === 't' ? 'true' : 'false') : value;
      });
      fs.writeSync(stream, JSON.stringify(record) + '\n');
    });
  } finally {
    fs.closeSync(stream);
  }
}

// Writes one slice's rows; when the file exceeds MAXFILESIZE, writes them
// again in as many parts as needed. Returns the local paths of the parts.
async function writeFileSplit(connection, select, file, local, maxFileSize) {
  const copy = async (target, where) => connection.run(
    `COPY (SELECT ${select || '1 AS dummy'} FROM rows WHERE f = ${file.id} ${where} ORDER BY r) TO ${sqlString(target)} (FORMAT PARQUET)`);
  await copy(local, '');
  const size = fs.statSync(local).size;
  if (!maxFileSize || size <= maxFileSize) return [local];
  const parts = Math.ceil(size / maxFileSize);
  const count = Number((await connection.runAndReadAll(`SELECT count(*) FROM rows WHERE f = ${file.id}`)).getRows()[0][0]);
  const perPart = Math.ceil(count / parts);
  const paths = [];
  for (let part = 0; part < parts; ++part) {
    const target = `${local}.${part}`;
    await copy(target, `AND r IN (SELECT r FROM rows WHERE f = ${file.id} ORDER BY r LIMIT ${perPart} OFFSET ${part * perPart})`);
    paths.push(target);
  }
  return paths;
}

function fileKey(prefix, partitionColumns, file, part) {
  const name = `${String(file.slice).padStart(4, '0')}_part_${String(part).padStart(2, '0')}.parquet`;
  if (partitionColumns.length === 0) return `${prefix}${name}`;
  const folders = partitionColumns.map((column, i) => `${column}=${partitionValue(file.values[i])}/`).join('');
  return `${prefix}${prefix === '' || prefix.endsWith('/') ? '' : '/'}${folders}${name}`;
}
