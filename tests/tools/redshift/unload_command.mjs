// UNLOAD ('select …') TO 's3://…' … FORMAT PARQUET: the SELECT runs on the
// client's own connection (so it sees the client's uncommitted rows), and
// unload.mjs writes and uploads the files.

import { parseS3Uri } from './s3.mjs';
import { classify } from './dialect.mjs';
import { unloadParquet } from './unload.mjs';
import { loaderError } from './copy_command.mjs';

// Resolves to true when the UNLOAD succeeded, false when the client got an
// error.
export async function runUnload(session, unload) {
  const { options } = unload;
  const queryId = await session.context.systemTables.nextQueryId();
  const fail = async (message, code = 8001) => {
    await session.fail(loaderError(message, code, queryId, session.session));
    return false;
  };
  if (!(options.IAM_ROLE || options.CREDENTIALS || (options.ACCESS_KEY_ID && options.SECRET_ACCESS_KEY))) {
    return fail("Invalid credentials. Must be of the format: credentials 'aws_iam_role=...' or "
      + "'aws_access_key_id=...;aws_secret_access_key=...[;token=...]'");
  }
  const format = options.FORMAT ?? (options.PARQUET ? 'PARQUET' : options.CSV ? 'CSV' : options.JSON ? 'JSON' : 'TEXT');
  if (format !== 'PARQUET') return fail(`the emulator unloads only FORMAT PARQUET, not ${format}`);
  if (options.CLEANPATH && options.ALLOWOVERWRITE) return fail('CLEANPATH and ALLOWOVERWRITE options are mutually exclusive.');
  const inner = classify(unload.query);
  if (inner.kind === 'refuse') {
    await session.fail({ code: inner.error.code, message: inner.error.message });
    return false;
  }

  const destination = parseS3Uri(unload.destination);
  const s3 = session.context.s3;
  const existing = await s3.list(destination.bucket, destination.key);
  if (existing.length && options.CLEANPATH) {
    for (const object of existing) await s3.delete(destination.bucket, object.key);
  } else if (existing.length && !options.ALLOWOVERWRITE) {
    return fail('Specified unload destination on S3 is not empty. Consider using a different bucket / prefix, '
      + 'manually removing the target files in S3, or using the ALLOWOVERWRITE option.');
  }

  const result = await session.privateQuery(unload.query);
  if (result.error) {
    session.relayError(result.error);
    return false;
  }
  if (!result.fields) return fail('UNLOAD query must be a SELECT');
  for (const column of options.PARTITION ?? []) {
    if (!result.fields.some((field) => field.name === column)) {
      return fail(`PARTITION BY column '${column}' is not in the select list`);
    }
  }
  const keys = await unloadParquet({ result, destination, options, slices: session.context.slices, s3 });
  session.context.log(`unload: ${result.rows.length} rows into ${keys.length} files under ${unload.destination}`);
  session.notice(`UNLOAD completed, ${result.rows.length} record(s) unloaded successfully.`);
  session.complete('UNLOAD');
  return true;
}
