// PostgreSQL frontend/backend protocol v3: framing, and builders and parsers
// for the messages the Redshift emulator reads or writes itself. Everything
// else it relays as opaque bytes.

// Splits a byte stream into messages. The first message of a client
// connection has no type byte (SSLRequest, GSSENCRequest, StartupMessage,
// CancelRequest): construct with `untyped: true` for that one message.
export class MessageReader {
  constructor({ untyped = false } = {}) {
    this.buffer = Buffer.alloc(0);
    this.untyped = untyped;
  }

  // Appends `chunk` and returns every complete message as
  // { type, body, raw } (type '' for an untyped one; raw is the whole frame).
  push(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const messages = [];
    for (;;) {
      const headerLength = this.untyped ? 4 : 5;
      if (this.buffer.length < headerLength) break;
      const length = this.buffer.readInt32BE(headerLength - 4);
      const total = length + headerLength - 4;
      if (this.buffer.length < total) break;
      const raw = this.buffer.subarray(0, total);
      messages.push({
        type: this.untyped ? '' : String.fromCharCode(raw[0]),
        body: raw.subarray(headerLength),
        raw,
      });
      this.buffer = this.buffer.subarray(total);
      this.untyped = false;
    }
    return messages;
  }
}

export function frame(type, body = Buffer.alloc(0)) {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

const cstring = (text) => Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);

export const query = (sql) => frame('Q', cstring(sql));
export const sync = () => frame('S');
export const copyData = (data) => frame('d', Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));
export const copyDone = () => frame('c');
export const copyFail = (reason) => frame('f', cstring(reason));
export const commandComplete = (tag) => frame('C', cstring(tag));
export const readyForQuery = (status) => frame('Z', Buffer.from(status, 'latin1'));
export const parseComplete = () => frame('1');
export const bindComplete = () => frame('2');
export const closeComplete = () => frame('3');
export const noData = () => frame('n');
export const emptyQueryResponse = () => frame('I');

export function parameterDescription(count = 0) {
  const body = Buffer.alloc(2 + 4 * count);
  body.writeInt16BE(count, 0);
  return frame('t', body);
}

// ErrorResponse / NoticeResponse fields, by their one-letter codes:
// S severity, V severity (not localised), C SQLSTATE, M message, D detail,
// H hint, P position, W where, n constraint, F/L/R source file, line, routine.
export function fieldsMessage(type, fields) {
  const parts = [];
  for (const [code, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    parts.push(Buffer.from(code, 'latin1'), cstring(String(value)));
  }
  parts.push(Buffer.from([0]));
  return frame(type, Buffer.concat(parts));
}

export const errorResponse = ({ code, message, detail, hint, position }) =>
  fieldsMessage('E', { S: 'ERROR', V: 'ERROR', C: code, M: message, D: detail, H: hint, P: position });

export const noticeResponse = (message, severity = 'INFO') =>
  fieldsMessage('N', { S: severity, V: severity, C: '00000', M: message });

export function parseFields(body) {
  const fields = {};
  let at = 0;
  while (at < body.length && body[at] !== 0) {
    const code = String.fromCharCode(body[at]);
    const end = body.indexOf(0, at + 1);
    fields[code] = body.toString('utf8', at + 1, end);
    at = end + 1;
  }
  return fields;
}

// A cursor over a message body for the fixed layouts below.
class BodyReader {
  constructor(body) {
    this.body = body;
    this.at = 0;
  }
  cstring() {
    const end = this.body.indexOf(0, this.at);
    const text = this.body.toString('utf8', this.at, end);
    this.at = end + 1;
    return text;
  }
  int16() {
    const value = this.body.readInt16BE(this.at);
    this.at += 2;
    return value;
  }
  int32() {
    const value = this.body.readInt32BE(this.at);
    this.at += 4;
    return value;
  }
  bytes(count) {
    const value = this.body.subarray(this.at, this.at + count);
    this.at += count;
    return value;
  }
}

export function parseParse(body) {
  const reader = new BodyReader(body);
  const name = reader.cstring();
  const sql = reader.cstring();
  return { name, sql, rest: body.subarray(reader.at) };
}

export function buildParse(name, sql, rest) {
  return frame('P', Buffer.concat([cstring(name), cstring(sql), rest]));
}

export function parseBind(body) {
  const reader = new BodyReader(body);
  return { portal: reader.cstring(), statement: reader.cstring() };
}

// Describe and Close: a kind byte ('S' statement, 'P' portal) and a name.
export function parseTarget(body) {
  return { kind: String.fromCharCode(body[0]), name: new BodyReader(body.subarray(1)).cstring() };
}

export function parseExecute(body) {
  return { portal: new BodyReader(body).cstring() };
}

export function parseRowDescription(body) {
  const reader = new BodyReader(body);
  const count = reader.int16();
  const fields = [];
  for (let i = 0; i < count; ++i) {
    const name = reader.cstring();
    reader.int32();  // table oid
    reader.int16();  // column number
    const typeOid = reader.int32();
    reader.int16();  // type size
    const typeMod = reader.int32();
    reader.int16();  // format code
    fields.push({ name, typeOid, typeMod });
  }
  return fields;
}

// A DataRow in text format: an array of strings, null for SQL NULL.
export function parseDataRow(body) {
  const reader = new BodyReader(body);
  const count = reader.int16();
  const values = [];
  for (let i = 0; i < count; ++i) {
    const length = reader.int32();
    values.push(length < 0 ? null : reader.bytes(length).toString('utf8'));
  }
  return values;
}

// The startup packet's parameters (user, database, options, …).
export function parseStartup(body) {
  const reader = new BodyReader(body);
  const protocol = reader.int32();
  const parameters = {};
  while (reader.at < body.length - 1) {
    const key = reader.cstring();
    if (!key) break;
    parameters[key] = reader.cstring();
  }
  return { protocol, parameters };
}

export const SSL_REQUEST = 80877103;
export const GSSENC_REQUEST = 80877104;
export const CANCEL_REQUEST = 80877102;
