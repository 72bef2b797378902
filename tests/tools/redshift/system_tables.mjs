// Redshift's system tables that a loader reads, kept in the upstream
// database's public schema and written over the emulator's own connection,
// so that (as on Redshift) a load error stays recorded when the client's
// transaction rolls back.

import pg from 'pg';

// Column types as Redshift documents them (character(n) pads with blanks,
// so readers trim(), as they must on Redshift).
const SETUP_SQL = `
CREATE TABLE IF NOT EXISTS public.stl_load_errors (
  userid integer, slice integer, tbl integer, starttime timestamp, session integer, query integer,
  filename character(256), line_number bigint, colname character(127), type character(10),
  col_length character(10), position integer, raw_line character(1024), raw_field_value character(1024),
  err_code integer, err_reason character(100));
CREATE TABLE IF NOT EXISTS public.sys_load_error_detail (
  user_id integer, query_id bigint, transaction_id bigint, session_id integer, database_name character(64),
  table_id integer, start_time timestamp, file_name character(256), line_number bigint,
  column_name character(127), column_type character(10), column_length character(10), position integer,
  error_code integer, error_message character(512));
CREATE TABLE IF NOT EXISTS public.stv_slices (node integer, slice integer, localslice integer, type character(1));
CREATE SEQUENCE IF NOT EXISTS public.rs_emulator_query_ids START WITH 1000;
CREATE OR REPLACE FUNCTION public.pg_last_copy_id(integer) RETURNS integer
  LANGUAGE sql IMMUTABLE AS 'SELECT $1';
`;

export const USER_ID = 100;

export class SystemTables {
  // `upstreamUri`: the PostgreSQL URI; `slices`: how many rows stv_slices has.
  constructor(upstreamUri, slices) {
    this.client = new pg.Client({ connectionString: upstreamUri, application_name: 'redshift_emulator' });
    this.slices = slices;
  }

  async open() {
    await this.client.connect();
    // Two emulators starting on one database would race on IF NOT EXISTS:
    // an advisory lock serialises the setup.
    await this.client.query('SELECT pg_advisory_lock(54390)');
    try {
      await this.client.query(SETUP_SQL);
      await this.client.query('DELETE FROM public.stv_slices');
      await this.client.query(
        `INSERT INTO public.stv_slices SELECT s / 2, s, s % 2, 'D' FROM generate_series(0, $1 - 1) AS s`, [this.slices]);
    } finally {
      await this.client.query('SELECT pg_advisory_unlock(54390)');
    }
  }

  async close() {
    await this.client.end();
  }

  // A new query id, unique across sessions and emulator restarts.
  async nextQueryId() {
    const result = await this.client.query(`SELECT nextval('public.rs_emulator_query_ids')::integer AS id`);
    return result.rows[0].id;
  }

  // Records load errors, each { slice, filename, line, column, raw_line,
  // raw_field_value, code, reason, position }, for one COPY.
  async recordLoadErrors(copy, errors) {
    if (errors.length === 0) return;
    const values = (row) => [
      USER_ID, row.slice, copy.tableOid, copy.startTime, copy.session, copy.queryId, row.filename, row.line,
      row.column?.name ?? '', row.column?.stlType ?? '', row.column?.length ?? '', row.position ?? 0,
      row.rawLine, (row.rawFieldValue ?? '').slice(0, 1024), row.code, row.reason.slice(0, 100),
    ];
    await this.client.query('BEGIN');
    try {
      for (const row of errors) {
        await this.client.query(
          `INSERT INTO public.stl_load_errors VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
          values(row));
        await this.client.query(
          `INSERT INTO public.sys_load_error_detail VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [USER_ID, copy.queryId, copy.transactionId, copy.session, copy.database, copy.tableOid, copy.startTime,
            row.filename, row.line, row.column?.name ?? '', row.column?.stlType ?? '', row.column?.length ?? '',
            row.position ?? 0, row.code, row.reason.slice(0, 512)]);
      }
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    }
  }
}
