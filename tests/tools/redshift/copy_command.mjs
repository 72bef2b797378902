// COPY t [(cols)] FROM 's3://…' … FORMAT JSON, run on the client's own
// connection (inside its transaction) as COPY t (cols) FROM STDIN fed with
// the converted rows. Rows that fail to convert are load errors: recorded
// in stl_load_errors and sys_load_error_detail over the emulator's own
// connection, skipped while there are at most MAXERROR of them, and the
// COPY fails (Redshift's "Load into table … failed") past that.

import zlib from 'node:zlib';
import { parseS3Uri } from './s3.mjs';
import {
  scanJsonValues, parseJsonPath, fieldPicker, convertField, copyTextLine, rawLine, scalarText,
} from './copy_json.mjs';
import { quoteLiteral, quoteIdent, qualifiedText } from './sql_text.mjs';

const INTERNAL_ERROR = 'XX000';
const COPY_CHUNK_BYTES = 256 * 1024;

// An error of Redshift's loader: the message, and a DETAIL framed the way
// Redshift frames it, with the loader's own error code.
export function loaderError(message, loaderCode, queryId, session, context = '') {
  const detail = [
    '',
    '  -----------------------------------------------',
    `  error:  ${message}`,
    `  code:      ${loaderCode}`,
    `  context:   ${context}`,
    `  query:     ${queryId}`,
    '  location:  redshift_emulator',
    `  process:   padbmaster [pid=${session}]`,
    '  -----------------------------------------------',
    '',
  ].join('\n');
  return { code: INTERNAL_ERROR, message, detail };
}

// Resolves to true when the COPY succeeded (the client got its
// CommandComplete), false when it failed (the client got the error).
export async function runCopy(session, copy) {
  const queryId = await session.context.systemTables.nextQueryId();
  session.lastCopyId = queryId;
  const fail = async (message, loaderCode = 8001, context = '', alreadyFailed = false) => {
    await session.fail(loaderError(message, loaderCode, queryId, session.session, context), { alreadyFailed });
    return false;
  };
  const { options } = copy;
  if (!hasCredentials(options)) {
    return fail("Invalid credentials. Must be of the format: credentials 'aws_iam_role=...' or "
      + "'aws_access_key_id=...;aws_secret_access_key=...[;token=...]'");
  }
  if (options.FORMAT !== 'JSON') return fail(`the emulator loads only FORMAT JSON, not ${options.FORMAT ?? 'delimited text'}`, 8001);

  const table = await describeTable(session, copy.table);
  if (!table) {
    await session.fail({ code: '42P01', message: `relation "${copy.table.join('.')}" does not exist` });
    return false;
  }
  const columns = chooseColumns(table, copy.columns);
  if (columns.error) {
    await session.fail(columns.error);
    return false;
  }

  let files;
  let jsonPaths = null;
  try {
    files = await listDataFiles(session.context.s3, copy, options);
    if (/^s3:\/\//.test(options.JSON ?? '')) jsonPaths = await readJsonPaths(session.context.s3, options.JSON, copy);
  } catch (error) {
    if (!error.loaderCode) throw error;
    return fail(error.message, error.loaderCode);
  }
  if (jsonPaths && jsonPaths.length !== columns.list.length) {
    return fail('Number of jsonpaths and the number of columns should match. '
      + `JSONPath size: ${jsonPaths.length}, Number of columns in table or column list: ${columns.list.length}`);
  }

  const load = {
    queryId, session: session.session, tableOid: table.oid, transactionId: table.transactionId,
    database: table.database, startTime: new Date().toISOString().replace('T', ' ').replace('Z', ''),
  };
  const maxError = Number(options.MAXERROR ?? 0);
  const errors = [];
  let loaded = 0;
  const columnList = columns.list.map((c) => quoteIdent(c.name)).join(', ');
  const result = await session.privateQuery(`COPY ${qualifiedText(table.name)} (${columnList}) FROM STDIN`, {
    onCopyIn: async () => {
      const picker = fieldPicker(columns.list, options.JSON, jsonPaths);
      for (const [fileIndex, file] of files.entries()) {
        const slice = fileIndex % session.context.slices;
        let chunk = '';
        for (const row of await readRows(session.context.s3, file, options)) {
          const converted = convertRow(row, picker, columns.list, options);
          if (converted.error) {
            errors.push({ ...converted.error, filename: file.uri, line: row.line, slice, rawLine: rawLine(row.text) });
            if (errors.length > maxError) break;
            continue;
          }
          chunk += copyTextLine(converted.fields);
          loaded += 1;
          if (chunk.length >= COPY_CHUNK_BYTES) {
            await session.sendCopyData(chunk);
            chunk = '';
          }
        }
        if (errors.length > maxError) break;
        if (chunk) await session.sendCopyData(chunk);
      }
      session.endCopy(errors.length > maxError ? 'load errors exceed MAXERROR' : null);
    },
  });
  await session.context.systemTables.recordLoadErrors(load, errors);
  const tableName = table.name[table.name.length - 1];
  if (errors.length > maxError) {
    const first = errors[0];
    return fail(`Load into table '${tableName}' failed.  Check 'stl_load_errors' system table for details.`,
      first.code, first.reason, true);
  }
  if (result.error) {
    session.relayError(result.error);
    return false;
  }
  const skipped = errors.length
    ? `  ${errors.length} record(s) could not be loaded.  Check 'stl_load_errors' system table for details.` : '';
  session.notice(`Load into table '${tableName}' completed, ${loaded} record(s) loaded successfully.${skipped}`);
  session.complete(`COPY ${loaded}`);
  return true;
}

function hasCredentials(options) {
  return Boolean(options.IAM_ROLE || options.CREDENTIALS || (options.ACCESS_KEY_ID && options.SECRET_ACCESS_KEY));
}

// The table's columns as the client's own transaction sees them (a table
// created in it is visible), or null when there is no such table.
async function describeTable(session, nameParts) {
  const qualified = qualifiedText(nameParts);
  const result = await session.privateQuery(`
    SELECT a.attname, t.typname, a.atttypmod, a.attnotnull, a.attidentity <> '' AS identity,
           c.oid::bigint AS oid, n.nspname, c.relname, txid_current() AS xid, current_database() AS db,
           (SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k
             WHERE k.conrelid = c.oid AND k.contype = 'c' AND k.conname LIKE 'rs\\_%' AND k.conkey = ARRAY[a.attnum]
             LIMIT 1) AS bytes_check
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = to_regclass(${quoteLiteral(qualified)}) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attnum`);
  if (result.error) throw new Error(`describing ${qualified}: ${result.error.body.toString()}`);
  if (result.rows.length === 0) return null;
  const [first] = result.rows;
  return {
    oid: Number(first[5]), name: [first[6], first[7]], transactionId: Number(first[8]), database: first[9],
    columns: result.rows.map(([name, type, typeMod, notNull, identity, , , , , , bytesCheck]) => (
      describeColumn({ name, type, typeMod: Number(typeMod), notNull: notNull === 't', identity: identity === 't', bytesCheck }))),
  };
}

// A column as convertField and the load-error tables want it.
function describeColumn(column) {
  const base = { name: column.name, notNull: column.notNull, identity: column.identity };
  switch (column.type) {
    case 'text': case 'varchar': case 'bpchar': {
      const bytes = characterColumnBytes(column);
      const kind = column.type === 'bpchar' ? 'bpchar' : 'text';
      return { ...base, type: kind, bytes, stlType: kind === 'bpchar' ? 'char' : 'varchar', length: String(bytes) };
    }
    case 'numeric': {
      const precision = column.typeMod >= 4 ? ((column.typeMod - 4) >> 16) & 0xffff : 18;
      const scale = column.typeMod >= 4 ? (column.typeMod - 4) & 0xffff : 0;
      return { ...base, type: 'numeric', precision, scale, stlType: 'numeric', length: `${precision},${scale}` };
    }
    default:
      return { ...base, type: column.type, stlType: column.type, length: '' };
  }
}

// A character column's size in bytes: from the byte-length check the
// emulator's CREATE TABLE added, else from a VARCHAR(n)/CHAR(n) made
// elsewhere, else Redshift's default of 256.
function characterColumnBytes(column) {
  const checked = /<=\s*(\d+)/.exec(column.bytesCheck ?? '');
  if (checked) return Number(checked[1]);
  if (column.typeMod >= 4) return column.typeMod - 4;
  return 256;
}

// The COPY's column list, or every column but IDENTITY ones (Redshift
// leaves those out unless EXPLICIT_IDS).
function chooseColumns(table, names) {
  if (!names) return { list: table.columns.filter((c) => !c.identity) };
  const list = [];
  for (const name of names) {
    const column = table.columns.find((c) => c.name === name);
    if (!column) {
      return { error: { code: '42703', message: `column "${name}" of relation "${table.name[1]}" does not exist` } };
    }
    list.push(column);
  }
  return { list };
}

class LoaderError extends Error {
  constructor(message, loaderCode = 8001) {
    super(message);
    this.loaderCode = loaderCode;
  }
}

// The objects to load as [{ uri, bucket, key }]: every object whose key
// starts with the prefix (Redshift's rule, so 'a/b' also loads 'a/bc'), or
// the manifest's entries.
async function listDataFiles(s3, copy, options) {
  const { bucket, key } = parseS3Uri(copy.source);
  if (options.MANIFEST) return readManifest(s3, bucket, key);
  const objects = (await s3.list(bucket, key)).filter((o) => !(o.key.endsWith('/') && o.size === 0));
  if (objects.length === 0) throw new LoaderError(`The specified S3 prefix '${key}' does not exist`);
  return objects.map((o) => ({ uri: `s3://${bucket}/${o.key}`, bucket, key: o.key }));
}

async function readManifest(s3, bucket, key) {
  const body = await s3.get(bucket, key);
  if (!body) {
    throw new LoaderError('Problem reading manifest file - S3ServiceException:The specified key does not exist.,Status 404,Error NoSuchKey');
  }
  let manifest;
  try {
    manifest = JSON.parse(body.toString('utf8'));
  } catch {
    throw new LoaderError('Manifest file is not in correct json format');
  }
  if (!Array.isArray(manifest?.entries)) throw new LoaderError('Manifest file is not in correct json format');
  const files = [];
  for (const entry of manifest.entries) {
    const location = parseS3Uri(entry.url);
    const found = (await s3.list(location.bucket, location.key)).some((o) => o.key === location.key);
    if (found) files.push({ uri: entry.url, ...location });
    else if (entry.mandatory) throw new LoaderError(`Manifest file contains mandatory entry that does not exist: ${entry.url}`);
  }
  if (files.length === 0) throw new LoaderError('No files found in the manifest to load');
  return files;
}

// A jsonpaths file: { "jsonpaths": ["$['a']", …] } → parsed paths. An
// object named otherwise means 'auto' (as Redshift documents).
async function readJsonPaths(s3, uri, copy) {
  const location = parseS3Uri(uri);
  const data = parseS3Uri(copy.source);
  if (!copy.options.MANIFEST && location.bucket === data.bucket && location.key.startsWith(data.key)) {
    throw new LoaderError(`jsonpaths file '${uri}' lies under the data prefix '${copy.source}': COPY would load it as data`);
  }
  const body = await s3.get(location.bucket, location.key);
  if (!body) {
    throw new LoaderError('Problem reading jsonpaths file - S3ServiceException:The specified key does not exist.,Status 404,Error NoSuchKey');
  }
  let document;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch {
    throw new LoaderError(`Invalid JSONPath file format: ${uri}`);
  }
  if (!Array.isArray(document?.jsonpaths)) return null;
  try {
    return document.jsonpaths.map(parseJsonPath);
  } catch (error) {
    throw new LoaderError(error.message);
  }
}

// The file's JSON values (or syntax errors), decompressed when GZIP.
async function readRows(s3, file, options) {
  let body = await s3.get(file.bucket, file.key);
  if (!body) throw new Error(`s3://${file.bucket}/${file.key} vanished during the COPY`);
  if (options.GZIP) body = zlib.gunzipSync(body);
  return [...scanJsonValues(body.toString('utf8'))];
}

// One JSON value → { fields } for COPY, or { error } (the first field that
// failed, as Redshift records one error per row).
function convertRow(row, picker, columns, options) {
  if (row.error) {
    return { error: { code: 1216, reason: row.error.slice(0, 100), position: row.position, column: null, rawFieldValue: '' } };
  }
  const values = picker(row.value);
  if (!values) {
    return { error: { code: 1216, reason: 'Invalid JSONObject: a row must be a JSON object', position: 0, column: null, rawFieldValue: '' } };
  }
  const fields = [];
  for (const [index, column] of columns.entries()) {
    const field = convertField(values[index], column, options);
    if (field.error) {
      const raw = values[index] === undefined || values[index] === null ? '' : scalarText(values[index]);
      return { error: { ...field.error, column, rawFieldValue: raw } };
    }
    fields.push(field);
  }
  return { fields };
}
