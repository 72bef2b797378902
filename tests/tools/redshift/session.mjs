// One client connection of the Redshift emulator: a relay between the
// client and its own upstream PostgreSQL connection that answers some
// statements itself (see dialect.mjs for which).
//
// The relay forwards client messages as they come and upstream messages as
// they come; `outstanding` counts the cycles (a Query, a Sync, the startup)
// whose ReadyForQuery has not come back. To run something of its own on the
// client's connection, the session waits until nothing is outstanding and
// then holds the upstream side (`consumer`) until its own ReadyForQuery, so
// its queries see, and take part in, the client's transaction.

import net from 'node:net';
import {
  MessageReader, frame, query, sync, copyData, copyDone, copyFail, commandComplete, readyForQuery, parseComplete,
  bindComplete, closeComplete, noData, parameterDescription, fieldsMessage, noticeResponse, parseFields,
  parseParse, buildParse, parseBind, parseTarget, parseExecute, parseRowDescription, parseDataRow, parseStartup,
  SSL_REQUEST, GSSENC_REQUEST, CANCEL_REQUEST,
} from './wire.mjs';
import { classify, bindLastCopyId } from './dialect.mjs';
import { splitStatements, quoteLiteral } from './sql_text.mjs';
import { runCopy } from './copy_command.mjs';
import { runUnload } from './unload_command.mjs';

// Redshift reports the PostgreSQL version it forked from.
const REDSHIFT_SERVER_VERSION = '8.0.2';

export class Session {
  // `context`: { upstream: { host, port }, s3, systemTables, slices, log }.
  constructor(client, context) {
    this.client = client;
    this.context = context;
    this.clientReader = new MessageReader({ untyped: true });
    this.upstreamReader = new MessageReader();
    this.upstream = null;
    this.started = false;
    this.queue = [];
    this.processing = false;
    this.status = 'I';
    this.outstanding = 0;
    this.idleWaiters = [];
    this.consumer = null;
    this.session = 0;  // the upstream backend's pid: Redshift's session id
    this.database = '';
    this.lastCopyId = -1;
    // Extended protocol: what the session answers itself, and whether it
    // forwarded anything since the last Sync.
    this.virtualStatements = new Map();
    this.virtualPortals = new Map();
    this.forwardedSinceSync = false;
    this.upstreamErrorSinceSync = false;
    this.skipUntilSync = false;
    this.swallowReady = false;  // the ReadyForQuery of a Sync of the session's own

    client.on('data', (chunk) => this.onClientData(chunk));
    client.on('error', () => this.close());
    client.on('close', () => this.close());
  }

  close() {
    this.client.destroy();
    this.upstream?.destroy();
  }

  // ------------------------------------------------------------ client side

  onClientData(chunk) {
    for (const message of this.clientReader.push(chunk)) {
      if (!this.started) this.onStartupPacket(message);
      else this.queue.push(message);
    }
    this.pump();
  }

  // SSLRequest and GSSENCRequest get 'N' (go on in plain text); a
  // CancelRequest goes to PostgreSQL as it is (the client holds the
  // upstream's key); the StartupMessage opens the upstream connection.
  onStartupPacket(message) {
    const code = message.body.readInt32BE(0);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      this.client.write('N');
      this.clientReader.untyped = true;
      return;
    }
    if (code === CANCEL_REQUEST) {
      const cancel = net.connect(this.context.upstream.port, this.context.upstream.host, () => cancel.end(message.raw));
      cancel.on('error', () => {});
      this.client.end();
      return;
    }
    const { parameters } = parseStartup(message.body);
    this.database = parameters.database ?? parameters.user ?? '';
    this.started = true;
    this.outstanding = 1;  // until the upstream's first ReadyForQuery
    this.upstream = net.connect(this.context.upstream.port, this.context.upstream.host);
    this.upstream.on('connect', () => this.upstream.write(message.raw));
    this.upstream.on('data', (data) => this.onUpstreamData(data));
    this.upstream.on('error', (error) => {
      this.context.log(`upstream: ${error.message}`);
      this.close();
    });
    this.upstream.on('close', () => this.close());
  }

  // Client messages are handled one at a time, in order: a handler that
  // answers a statement itself holds back the messages after it.
  async pump() {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length) await this.onClientMessage(this.queue.shift());
    } catch (error) {
      this.context.log(`session: ${error.stack}`);
      this.close();
    } finally {
      this.processing = false;
    }
  }

  async onClientMessage(message) {
    switch (message.type) {
      case 'Q': return this.onQuery(message);
      case 'P': return this.onParse(message);
      case 'B': return this.onBind(message);
      case 'D': return this.onDescribe(message);
      case 'E': return this.onExecute(message);
      case 'C': return this.onClose(message);
      case 'H': return this.onFlush(message);
      case 'S': return this.onSync(message);
      default: return this.forward(message.raw);
    }
  }

  forward(raw) {
    if (this.skipUntilSync) return;
    this.upstream.write(raw);
    this.forwardedSinceSync = true;
  }

  // ----------------------------------------------------------- upstream side

  onUpstreamData(chunk) {
    for (const message of this.upstreamReader.push(chunk)) {
      if (this.consumer) this.consumer(message);
      else this.relay(message);
    }
  }

  relay(message) {
    switch (message.type) {
      case 'K':
        this.session = message.body.readInt32BE(0);
        break;
      case 'S': {
        const [name] = message.body.toString('utf8').split('\0');
        if (name === 'server_version') {
          this.client.write(frame('S', Buffer.from(`server_version\0${REDSHIFT_SERVER_VERSION}\0`)));
          return;
        }
        break;
      }
      case 'E':
        this.upstreamErrorSinceSync = true;
        this.client.write(redshiftError(message));
        return;
      case 'Z':
        this.status = String.fromCharCode(message.body[0]);
        this.finishCycle();
        if (this.swallowReady) {
          this.swallowReady = false;
          return;
        }
        break;
      default:
        break;
    }
    this.client.write(message.raw);
  }

  finishCycle() {
    this.outstanding = Math.max(0, this.outstanding - 1);
    if (this.outstanding === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  waitIdle() {
    return this.outstanding === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // Runs `sql` as a simple query of the session's own on the client's
  // connection. With `relay`, everything but ReadyForQuery goes on to the
  // client. `onCopyIn(session)` runs when PostgreSQL asks for COPY data.
  // Resolves to { fields, rows, tags, error, status }.
  async privateQuery(sql, { relay = false, onCopyIn = null } = {}) {
    await this.waitIdle();
    return new Promise((resolve) => {
      const result = { fields: null, rows: [], tags: [], error: null, status: null };
      this.consumer = (message) => {
        switch (message.type) {
          case 'T': result.fields = parseRowDescription(message.body); break;
          case 'D': if (!relay) result.rows.push(parseDataRow(message.body)); break;
          case 'C': result.tags.push(message.body.toString('utf8', 0, message.body.length - 1)); break;
          case 'E': result.error = message; break;
          case 'G':
            onCopyIn(this).catch((error) => {
              this.context.log(`copy: ${error.stack}`);
              this.upstream.write(copyFail(String(error.message)));
            });
            return;
          case 'Z':
            this.consumer = null;
            this.status = String.fromCharCode(message.body[0]);
            result.status = this.status;
            resolve(result);
            return;
          default: break;
        }
        // Parameter changes and notifications always reach the client.
        if (relay || message.type === 'S' || message.type === 'A') {
          this.client.write(message.type === 'E' ? redshiftError(message) : message.raw);
        }
      };
      this.upstream.write(query(sql));
    });
  }

  async writeUpstream(buffer) {
    if (!this.upstream.write(buffer)) await new Promise((resolve) => this.upstream.once('drain', resolve));
  }

  // Answers `error` ({ code, message, detail, position }) the way
  // PostgreSQL would have answered a failing statement: the upstream runs a
  // RAISE of it, so that the client's transaction is in error exactly when
  // Redshift's would be; its error goes to the client (or PostgreSQL's own,
  // when the transaction had already failed).
  // With `alreadyFailed`, the upstream transaction already is where it
  // must be (the session's own COPY failed there): only the client is told.
  async fail(error, { alreadyFailed = false } = {}) {
    const ownError = () => fieldsMessage('E', {
      S: 'ERROR', V: 'ERROR', C: error.code, M: error.message, D: error.detail, P: error.position,
    });
    if (alreadyFailed) {
      this.client.write(ownError());
      return;
    }
    const options = [`MESSAGE = ${quoteLiteral(error.message)}`, `ERRCODE = ${quoteLiteral(error.code)}`];
    if (error.detail) options.push(`DETAIL = ${quoteLiteral(error.detail)}`);
    const result = await this.privateQuery(`DO $rs$ BEGIN RAISE EXCEPTION USING ${options.join(', ')}; END $rs$`);
    const fields = parseFields(result.error.body);
    if (fields.C !== error.code) {
      this.client.write(redshiftError(result.error));
      return;
    }
    this.client.write(ownError());
  }

  relayError(message) {
    this.client.write(redshiftError(message));
  }

  // ------------------------------------------------------------ simple query

  // A Query whose statements all pass (or are only rewritten) is forwarded
  // as one message; otherwise its statements run one by one, and the first
  // error ends it, as in PostgreSQL.
  async onQuery(message) {
    this.skipUntilSync = false;
    const sql = message.body.toString('utf8', 0, message.body.length - 1);
    const statements = splitStatements(sql);
    const plans = statements.map((statement) => ({ ...statement, plan: classify(statement.text) }));
    if (plans.every(({ plan }) => (plan.kind === 'pass' || plan.kind === 'rewrite'))) {
      let text = sql;
      for (const { text: original, offset, plan } of [...plans].reverse()) {
        const replacement = this.forwardedText(plan, original);
        text = text.slice(0, offset) + replacement + text.slice(offset + original.length);
      }
      this.upstream.write(text === sql ? message.raw : query(text));
      this.outstanding += 1;
      return;
    }
    await this.waitIdle();
    for (const { text, offset, plan } of plans) {
      const ok = await this.runStatement(text, plan, offset);
      if (!ok) break;
    }
    this.client.write(readyForQuery(this.status));
  }

  forwardedText(plan, original) {
    const text = plan.kind === 'rewrite' ? plan.sql : original;
    return plan.usesLastCopyId ? bindLastCopyId(text, this.lastCopyId) : text;
  }

  // Runs one statement of a Query; resolves to false when it failed.
  async runStatement(text, plan, offset) {
    switch (plan.kind) {
      case 'pass':
      case 'rewrite': {
        const result = await this.privateQuery(this.forwardedText(plan, text), { relay: true });
        return !result.error;
      }
      default:
        return this.runOwn(plan, offset);
    }
  }

  // The statements the session answers itself; the client gets their
  // CommandComplete (or error), not their ReadyForQuery.
  async runOwn(plan, offset = 0) {
    if (this.status === 'E' && plan.kind !== 'refuse') {
      // PostgreSQL raises this itself: the RAISE does not get to run.
      await this.fail({ code: '25P02', message: 'current transaction is aborted, commands ignored until end of transaction block' });
      return false;
    }
    switch (plan.kind) {
      case 'refuse':
        await this.fail({ ...plan.error, position: offset + plan.error.index + 1 });
        return false;
      case 'noop':
        this.client.write(commandComplete(plan.tag));
        return true;
      case 'truncate':
        return this.truncate(plan.sql);
      case 'copy':
        return runCopy(this, plan.copy);
      case 'unload':
        return runUnload(this, plan.unload);
      default:
        throw new Error(`no handler for ${plan.kind}`);
    }
  }

  // Redshift's TRUNCATE commits the transaction it runs in.
  async truncate(sql) {
    const inTransaction = this.status === 'T';
    const result = await this.privateQuery(sql, { relay: true });
    if (result.error) return false;
    if (inTransaction) await this.privateQuery('COMMIT');
    return true;
  }

  // --------------------------------------------------------- extended query

  // Before the session answers a message itself, everything forwarded
  // since the last Sync must have been answered: it sends a Sync of its own
  // and waits. If that part failed, the rest up to the client's Sync is
  // skipped, as PostgreSQL would have skipped it. Resolves to false then.
  async settle() {
    if (this.forwardedSinceSync) {
      this.forwardedSinceSync = false;
      this.swallowReady = true;
      this.outstanding += 1;
      this.upstream.write(sync());
    }
    await this.waitIdle();
    if (this.upstreamErrorSinceSync) {
      this.upstreamErrorSinceSync = false;
      this.skipUntilSync = true;
    }
    return !this.skipUntilSync;
  }

  async onParse(message) {
    if (this.skipUntilSync) return;
    const { name, sql, rest } = parseParse(message.body);
    this.virtualStatements.delete(name);
    const plan = classify(sql);
    if (plan.kind === 'pass' || plan.kind === 'rewrite') {
      const text = this.forwardedText(plan, sql);
      this.forward(text === sql ? message.raw : buildParse(name, text, rest));
      return;
    }
    if (!(await this.settle())) return;
    if (plan.kind === 'refuse') {
      await this.runOwn(plan);
      this.skipUntilSync = true;
      return;
    }
    this.virtualStatements.set(name, plan);
    this.client.write(parseComplete());
  }

  async onBind(message) {
    if (this.skipUntilSync) return;
    const { portal, statement } = parseBind(message.body);
    this.virtualPortals.delete(portal);
    const plan = this.virtualStatements.get(statement);
    if (!plan) return this.forward(message.raw);
    if (!(await this.settle())) return;
    this.virtualPortals.set(portal, plan);
    this.client.write(bindComplete());
  }

  async onDescribe(message) {
    if (this.skipUntilSync) return;
    const { kind, name } = parseTarget(message.body);
    const virtual = kind === 'S' ? this.virtualStatements.has(name) : this.virtualPortals.has(name);
    if (!virtual) return this.forward(message.raw);
    if (!(await this.settle())) return;
    if (kind === 'S') this.client.write(parameterDescription(0));
    this.client.write(noData());
  }

  async onExecute(message) {
    if (this.skipUntilSync) return;
    const plan = this.virtualPortals.get(parseExecute(message.body).portal);
    if (!plan) return this.forward(message.raw);
    if (!(await this.settle())) return;
    if (!(await this.runOwn(plan))) this.skipUntilSync = true;
  }

  async onClose(message) {
    if (this.skipUntilSync) return;
    const { kind, name } = parseTarget(message.body);
    const map = kind === 'S' ? this.virtualStatements : this.virtualPortals;
    if (!map.has(name)) return this.forward(message.raw);
    if (!(await this.settle())) return;
    map.delete(name);
    this.client.write(closeComplete());
  }

  onFlush(message) {
    if (this.forwardedSinceSync) this.upstream.write(message.raw);
  }

  async onSync(message) {
    this.skipUntilSync = false;
    if (this.forwardedSinceSync) {
      this.forwardedSinceSync = false;
      this.upstreamErrorSinceSync = false;
      this.upstream.write(message.raw);
      this.outstanding += 1;
      return;
    }
    await this.waitIdle();
    this.upstreamErrorSinceSync = false;
    this.client.write(readyForQuery(this.status));
  }

  // Helpers for the COPY and UNLOAD handlers.
  notice(text) {
    this.client.write(noticeResponse(text));
  }

  complete(tag) {
    this.client.write(commandComplete(tag));
  }

  sendCopyData(text) {
    return this.writeUpstream(copyData(text));
  }

  endCopy(failure) {
    this.upstream.write(failure ? copyFail(failure) : copyDone());
  }
}

// PostgreSQL's error as Redshift gives it: a failed byte-size check on a
// rewritten character column (constraint rs_varchar_<n>_<column>) is
// Redshift's "value too long" error.
export function redshiftError(message) {
  const fields = parseFields(message.body);
  const sized = /^rs_(varchar|char)_(\d+)_/.exec(fields.n ?? '');
  if (fields.C !== '23514' || !sized) return message.raw;
  const type = sized[1] === 'char' ? 'character' : 'character varying';
  return fieldsMessage('E', {
    S: fields.S, V: fields.V, C: '22001', M: `value too long for type ${type}(${sized[2]})`,
  });
}
