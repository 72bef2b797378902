// COPY … FORMAT JSON as Redshift reads it: a file is a sequence of JSON
// values separated by whitespace (not necessarily one per line), each value
// one row; fields are picked by column name ('auto', 'auto ignorecase') or
// by JSONPath; each field is converted for its column's type the way
// Redshift converts it, and a field it cannot convert is a load error with
// Redshift's error code and reason.

// A JSON number keeps its text: Redshift refuses 1541033612796.0 for a
// BIGINT column, which JSON.parse would have made 1541033612796.
export class JsonNumber {
  constructor(raw) {
    this.raw = raw;
  }
}

class JsonSyntaxError extends Error {
  constructor(message, at) {
    super(message);
    this.at = at;
  }
}

// Parses one JSON value from text[at…]: { value, end }. Objects are plain
// objects without a prototype, numbers JsonNumber.
function parseValue(text, at) {
  at = skipSpace(text, at);
  const c = text[at];
  if (c === '{') return parseObject(text, at);
  if (c === '[') return parseArray(text, at);
  if (c === '"') return parseString(text, at);
  if (c === '-' || (c >= '0' && c <= '9')) {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 400));
    if (!match) throw new JsonSyntaxError(`Invalid number`, at);
    return { value: new JsonNumber(match[0]), end: at + match[0].length };
  }
  for (const [word, value] of [['true', true], ['false', false], ['null', null]]) {
    if (text.startsWith(word, at)) return { value, end: at + word.length };
  }
  throw new JsonSyntaxError(at >= text.length ? 'Unexpected end of input' : `Unexpected character '${c}'`, at);
}

function skipSpace(text, at) {
  while (at < text.length && (text[at] === ' ' || text[at] === '\n' || text[at] === '\r' || text[at] === '\t')) ++at;
  return at;
}

function parseObject(text, at) {
  const object = Object.create(null);
  at = skipSpace(text, at + 1);
  if (text[at] === '}') return { value: object, end: at + 1 };
  for (;;) {
    at = skipSpace(text, at);
    if (text[at] !== '"') throw new JsonSyntaxError(`Expected a member name`, at);
    const key = parseString(text, at);
    at = skipSpace(text, key.end);
    if (text[at] !== ':') throw new JsonSyntaxError(`Expected ':'`, at);
    const member = parseValue(text, at + 1);
    object[key.value] = member.value;
    at = skipSpace(text, member.end);
    if (text[at] === ',') { ++at; continue; }
    if (text[at] === '}') return { value: object, end: at + 1 };
    throw new JsonSyntaxError(`Missing '}'`, at);
  }
}

function parseArray(text, at) {
  const array = [];
  at = skipSpace(text, at + 1);
  if (text[at] === ']') return { value: array, end: at + 1 };
  for (;;) {
    const item = parseValue(text, at);
    array.push(item.value);
    at = skipSpace(text, item.end);
    if (text[at] === ',') { ++at; continue; }
    if (text[at] === ']') return { value: array, end: at + 1 };
    throw new JsonSyntaxError(`Missing ']'`, at);
  }
}

function parseString(text, at) {
  let end = at + 1;
  while (end < text.length && text[end] !== '"') {
    if (text[end] === '\\') ++end;
    if (text[end] === '\n') throw new JsonSyntaxError('Unterminated string', end);
    ++end;
  }
  if (end >= text.length) throw new JsonSyntaxError('Unterminated string', at);
  try {
    return { value: JSON.parse(text.slice(at, end + 1)), end: end + 1 };
  } catch {
    throw new JsonSyntaxError('Invalid escape in string', at);
  }
}

// The values of one file, in order: { value, text, line } for each
// (`line` the 1-based line of the value's last character, which is what
// Redshift records), or { error, text, line } for text that is not JSON;
// after such an error scanning resumes on the next line.
export function* scanJsonValues(text) {
  const lineOf = lineCounter(text);
  let at = skipSpace(text, 0);
  while (at < text.length) {
    try {
      const { value, end } = parseValue(text, at);
      yield { value, text: text.slice(at, end), line: lineOf(end - 1) };
      at = skipSpace(text, end);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      const lineEnd = text.indexOf('\n', error.at);
      const end = lineEnd < 0 ? text.length : lineEnd;
      yield { error: `Invalid JSON: ${error.message}`, position: error.at - at, text: text.slice(at, end), line: lineOf(error.at) };
      at = skipSpace(text, end);
    }
  }
}

// Line numbers of offsets visited in increasing order.
function lineCounter(text) {
  let offset = 0;
  let line = 1;
  return (target) => {
    for (; offset < target && offset < text.length; ++offset) if (text[offset] === '\n') ++line;
    return line;
  };
}

// ------------------------------------------------------------- JSONPaths

// A jsonpaths file's expressions as lists of steps (member names and array
// indexes): $['a'], $["a"], $.a.b, $.a[0]. Throws on anything else:
// Redshift takes no wildcards or filters.
export function parseJsonPath(expression) {
  const steps = [];
  let rest = expression.trim();
  if (!rest.startsWith('$')) throw new Error(`Invalid JSONPath format: ${expression}`);
  rest = rest.slice(1);
  while (rest.length) {
    let match;
    if ((match = /^\.([A-Za-z_$][\w$-]*)/.exec(rest))) steps.push(match[1]);
    else if ((match = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest))) steps.push(match[1]);
    else if ((match = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest))) steps.push(match[1]);
    else if ((match = /^\[\s*(\d+)\s*\]/.exec(rest))) steps.push(Number(match[1]));
    else throw new Error(`Invalid JSONPath format: ${expression}`);
    rest = rest.slice(match[0].length);
  }
  return steps;
}

export function evaluateJsonPath(value, steps) {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object' || current instanceof JsonNumber) return undefined;
    if (typeof step === 'number' ? !Array.isArray(current) : Array.isArray(current)) return undefined;
    current = current[step];
    if (current === undefined) return undefined;
  }
  return current;
}

// A function value → [field for each column] for one JSON value, per the
// COPY's JSON option: 'auto', 'auto ignorecase' or parsed JSONPaths.
export function fieldPicker(columns, jsonOption, jsonPaths) {
  if (jsonPaths) return (value) => jsonPaths.map((steps) => evaluateJsonPath(value, steps));
  const ignoreCase = /ignorecase/i.test(jsonOption ?? '');
  return (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof JsonNumber) return null;
    if (!ignoreCase) return columns.map((column) => value[column.name]);
    const folded = new Map();
    for (const key of Object.keys(value)) if (!folded.has(key.toLowerCase())) folded.set(key.toLowerCase(), value[key]);
    return columns.map((column) => folded.get(column.name.toLowerCase()));
  };
}

// ------------------------------------------------------------- conversion

const INTEGER_TYPES = {
  int2: { name: 'Short', min: -32768n, max: 32767n },
  int4: { name: 'Integer', min: -2147483648n, max: 2147483647n },
  int8: { name: 'Long', min: -9223372036854775808n, max: 9223372036854775807n },
};

const NULL_FIELD = { null: true };
const loadError = (code, reason, position = 0) => ({ error: { code, reason, position } });

// The field as text (what the COPY sends upstream), NULL, or a load error
// { error: { code, reason, position } }. `column`: { name, type, bytes,
// notNull, precision, scale }; `options`: the COPY's options.
export function convertField(value, column, options) {
  if (value === undefined || value === null) {
    return column.notNull ? loadError(1213, 'Missing data for not-null field') : NULL_FIELD;
  }
  const converted = convertPresent(value, column, options);
  if (converted.null && column.notNull) return loadError(1213, 'Missing data for not-null field');
  return converted;
}

function convertPresent(value, column, options) {
  switch (column.type) {
    case 'int2': case 'int4': case 'int8': return convertInteger(value, INTEGER_TYPES[column.type]);
    case 'float4': case 'float8': return convertFloat(value, column.type === 'float4' ? 'Float' : 'Double');
    case 'numeric': return convertDecimal(value, column);
    case 'bool': return convertBoolean(value);
    case 'text': case 'bpchar': return convertCharacter(value, column, options);
    case 'timestamp': case 'timestamptz': return convertTimestamp(value, options);
    case 'date': return convertDate(value);
    default: return { text: scalarText(value) };
  }
}

// The text a JSON value stands for: strings as they are, numbers as
// written, nested objects and arrays as JSON.
export function scalarText(value) {
  if (typeof value === 'string') return value;
  if (value instanceof JsonNumber) return value.raw;
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value, (key, v) => (v instanceof JsonNumber ? Number(v.raw) : v));
}

// Non-character columns load NULL for an empty string, as Redshift does.
function numericText(value) {
  if (value instanceof JsonNumber) return value.raw;
  const text = scalarText(value);
  return typeof value === 'string' ? text.trim() : text;
}

function convertInteger(value, type) {
  const text = numericText(value);
  if (text === '') return NULL_FIELD;
  const sign = text[0] === '+' || text[0] === '-' ? 1 : 0;
  for (let i = sign; i < text.length; ++i) {
    if (text[i] < '0' || text[i] > '9') return loadError(1207, `Invalid digit, Value '${text[i]}', Pos ${i}, Type: ${type.name}`, i);
  }
  if (text.length === sign) return loadError(1207, `Invalid digit, Value '${text[0]}', Pos 0, Type: ${type.name}`, 0);
  const number = BigInt(text);
  if (number < type.min || number > type.max) {
    return loadError(1216, `Overflow (${type.name} valid range ${type.min} to ${type.max})`, 0);
  }
  return { text: number.toString() };
}

const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function firstInvalid(text, allowed) {
  for (let i = 0; i < text.length; ++i) if (!allowed.test(text[i])) return i;
  return text.length ? text.length - 1 : 0;
}

function convertFloat(value, typeName) {
  const text = numericText(value);
  if (text === '') return NULL_FIELD;
  if (FLOAT_TEXT.test(text) || /^[+-]?(nan|inf|infinity)$/i.test(text)) return { text };
  const at = firstInvalid(text, /[0-9.eE+-]/);
  return loadError(1208, `Invalid digit, Value '${text[at]}', Pos ${at}, Type: ${typeName}`, at);
}

function convertDecimal(value, column) {
  const text = numericText(value);
  if (text === '') return NULL_FIELD;
  if (!FLOAT_TEXT.test(text)) {
    const at = firstInvalid(text, /[0-9.+-]/);
    return loadError(1207, `Invalid digit, Value '${text[at]}', Pos ${at}, Type: Decimal`, at);
  }
  if (column.precision) {
    const integerDigits = String(Math.trunc(Math.abs(Number(text)))).replace(/^0$/, '').length;
    if (integerDigits > column.precision - column.scale) {
      return loadError(1216, `Numeric data overflow (result precision)`, 0);
    }
  }
  return { text };
}

const BOOLEAN_TEXT = { t: 't', true: 't', y: 't', yes: 't', 1: 't', f: 'f', false: 'f', n: 'f', no: 'f', 0: 'f' };

function convertBoolean(value) {
  const text = numericText(value);
  if (text === '') return NULL_FIELD;
  const bool = BOOLEAN_TEXT[text.toLowerCase()];
  return bool ? { text: bool } : loadError(1210, `Invalid boolean value, Value '${text.slice(0, 20)}'`, 0);
}

// Character columns: EMPTYASNULL and BLANKSASNULL turn empty and blank
// strings to NULL; the size is in bytes (error 1204 unless
// TRUNCATECOLUMNS); characters that were not UTF-8 in the file (decoded as
// U+FFFD) fail unless ACCEPTINVCHARS replaces them.
function convertCharacter(value, column, options) {
  let text = scalarText(value);
  if (typeof value === 'string') {
    if (text === '' && options.EMPTYASNULL) return NULL_FIELD;
    if (options.BLANKSASNULL && text !== '' && /^[ \t]*$/.test(text)) return NULL_FIELD;
  }
  if (text.includes('\uFFFD') || text.includes('\u0000')) {
    if (!options.ACCEPTINVCHARS) {
      const at = Math.max(text.indexOf('\uFFFD'), text.indexOf('\u0000'));
      return loadError(1220, 'String contains invalid or unsupported UTF8 codepoints', at);
    }
    const replacement = typeof options.ACCEPTINVCHARS === 'string' ? options.ACCEPTINVCHARS : '?';
    text = text.replace(/[\uFFFD\u0000]/g, replacement);
  }
  if (column.bytes && Buffer.byteLength(text) > column.bytes) {
    if (!options.TRUNCATECOLUMNS) return loadError(1204, 'String length exceeds DDL length', 0);
    text = truncateToBytes(text, column.bytes);
  }
  return { text };
}

// The longest prefix of `text` of at most `bytes` UTF-8 bytes that does not
// split a character.
export function truncateToBytes(text, bytes) {
  const encoded = Buffer.from(text, 'utf8');
  let end = bytes;
  while (end > 0 && (encoded[end] & 0xc0) === 0x80) --end;
  return encoded.subarray(0, end).toString('utf8');
}

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$/;

// TIMEFORMAT 'epochmillisecs' and 'epochsecs' take numbers (or numeric
// strings) counted from 1970-01-01 UTC; otherwise (default or 'auto') an
// ISO-like text.
function convertTimestamp(value, options) {
  const format = (options.TIMEFORMAT ?? '').toLowerCase();
  const text = numericText(value);
  if (text === '') return NULL_FIELD;
  if (format === 'epochmillisecs' || format === 'epochsecs') {
    const number = Number(text);
    if (!Number.isFinite(number) || !FLOAT_TEXT.test(text)) {
      return loadError(1206, `Invalid timestamp format or value [${format}]`, 0);
    }
    const millis = format === 'epochsecs' ? number * 1000 : number;
    const date = new Date(millis);
    if (Number.isNaN(date.getTime())) return loadError(1206, `Invalid timestamp format or value [${format}]`, 0);
    const micros = Math.round((millis - Math.floor(millis)) * 1000);
    const iso = date.toISOString().replace('T', ' ').replace('Z', '');
    return { text: micros ? `${iso}${String(micros).padStart(3, '0')}` : iso };
  }
  if (typeof value === 'string' && TIMESTAMP_TEXT.test(text)) return { text };
  return loadError(1206, `Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]`, 0);
}

function convertDate(value) {
  const text = numericText(value);
  if (text === '') return NULL_FIELD;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(text)) return { text };
  return loadError(1205, 'Invalid Date Format - length must be 10 or more', 0);
}

// One row of COPY text format: tab-separated, \N for NULL, backslash,
// tab, newline and carriage return escaped.
export function copyTextLine(fields) {
  return fields.map((field) => (field.null ? '\\N'
    : field.text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'))).join('\t') + '\n';
}

// Redshift's raw_line: multibyte characters shown as '.', at most 1024.
export const rawLine = (text) => text.replace(/[^\x00-\x7f]/g, '.').slice(0, 1024);
