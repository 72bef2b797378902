// SQL text the way PostgreSQL and Redshift lex it: tokens, statements, and
// a "skeleton" of a statement in which string literals, quoted identifiers
// and comments are blanked out, so that keyword regexes never match inside
// them.

// Token kinds: ws, comment, string ('…', E'…', $tag$…$tag$; `value` decoded),
// ident ("…"; `value` decoded), word, number, param ($1), op.
export function tokenize(sql) {
  const tokens = [];
  let at = 0;
  const push = (kind, start, end, value) => tokens.push({ kind, start, end, text: sql.slice(start, end), value });
  while (at < sql.length) {
    const start = at;
    const c = sql[at];
    const next = sql[at + 1];
    if (/\s/.test(c)) {
      while (at < sql.length && /\s/.test(sql[at])) ++at;
      push('ws', start, at);
    } else if (c === '-' && next === '-') {
      while (at < sql.length && sql[at] !== '\n') ++at;
      push('comment', start, at);
    } else if (c === '/' && next === '*') {
      // PostgreSQL block comments nest.
      let depth = 0;
      while (at < sql.length) {
        if (sql[at] === '/' && sql[at + 1] === '*') { ++depth; at += 2; continue; }
        if (sql[at] === '*' && sql[at + 1] === '/') { --depth; at += 2; if (depth === 0) break; continue; }
        ++at;
      }
      push('comment', start, at);
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'")) {
      const escapes = c !== "'";
      at += escapes ? 2 : 1;
      let value = '';
      while (at < sql.length) {
        if (sql[at] === "'" && sql[at + 1] === "'") { value += "'"; at += 2; continue; }
        if (sql[at] === "'") { ++at; break; }
        if (escapes && sql[at] === '\\' && at + 1 < sql.length) { value += unescapeC(sql[at + 1]); at += 2; continue; }
        value += sql[at++];
      }
      push('string', start, at, value);
    } else if (c === '"') {
      ++at;
      let value = '';
      while (at < sql.length) {
        if (sql[at] === '"' && sql[at + 1] === '"') { value += '"'; at += 2; continue; }
        if (sql[at] === '"') { ++at; break; }
        value += sql[at++];
      }
      push('ident', start, at, value);
    } else if (c === '$' && /[0-9]/.test(next ?? '')) {
      ++at;
      while (at < sql.length && /[0-9]/.test(sql[at])) ++at;
      push('param', start, at);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(at));
      if (tag) {
        const close = sql.indexOf(tag[0], at + tag[0].length);
        const end = close < 0 ? sql.length : close + tag[0].length;
        push('string', start, end, sql.slice(at + tag[0].length, close < 0 ? sql.length : close));
        at = end;
      } else {
        ++at;
        push('op', start, at);
      }
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      while (at < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[at])) ++at;
      push('word', start, at);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      while (at < sql.length && /[0-9.eE]/.test(sql[at])) {
        if ((sql[at] === 'e' || sql[at] === 'E') && /[+-]/.test(sql[at + 1] ?? '')) ++at;
        ++at;
      }
      push('number', start, at);
    } else if (c === ':' && next === ':') {
      at += 2;
      push('op', start, at);
    } else {
      ++at;
      push('op', start, at);
    }
  }
  return tokens;
}

function unescapeC(c) {
  return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' }[c] ?? c;
}

export const significant = (tokens) => tokens.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');

// Splits a simple-query string into statements at top-level semicolons.
// Each is { text, offset } (offset into `sql`, for error positions);
// statements that are only whitespace and comments are dropped.
export function splitStatements(sql) {
  const statements = [];
  let begin = 0;
  let hasContent = false;
  for (const token of tokenize(sql)) {
    if (token.kind === 'op' && token.text === ';') {
      if (hasContent) statements.push({ text: sql.slice(begin, token.start), offset: begin });
      begin = token.end;
      hasContent = false;
    } else if (token.kind !== 'ws' && token.kind !== 'comment') {
      hasContent = true;
    }
  }
  if (hasContent) statements.push({ text: sql.slice(begin), offset: begin });
  return statements;
}

// The statement upper-cased, with the contents of string literals replaced
// by spaces, quoted identifiers by x's and comments by spaces: the same
// length as the statement, so a match's index is a position in it.
export function skeleton(sql) {
  let out = '';
  for (const token of tokenize(sql)) {
    if (token.kind === 'comment') out += ' '.repeat(token.text.length);
    else if (token.kind === 'string') out += "'" + ' '.repeat(Math.max(0, token.text.length - 2)) + (token.text.length > 1 ? "'" : '');
    else if (token.kind === 'ident') out += '"' + 'x'.repeat(Math.max(0, token.text.length - 2)) + (token.text.length > 1 ? '"' : '');
    else out += token.text.toUpperCase();
  }
  return out;
}

export const quoteLiteral = (text) => `'${String(text).replace(/'/g, "''")}'`;
export const quoteIdent = (text) => `"${String(text).replace(/"/g, '""')}"`;

// A parsed (possibly schema-qualified) name from significant tokens at
// `index`: { parts: ['schema', 'table'], next }. Unquoted parts fold to
// lower case as PostgreSQL and Redshift fold them.
export function readQualifiedName(tokens, index) {
  const parts = [];
  let at = index;
  for (;;) {
    const token = tokens[at];
    if (!token || (token.kind !== 'word' && token.kind !== 'ident')) break;
    parts.push(token.kind === 'ident' ? token.value : token.text.toLowerCase());
    ++at;
    if (tokens[at]?.text === '.') ++at;
    else break;
  }
  return { parts, next: at };
}

export const qualifiedText = (parts) => parts.map(quoteIdent).join('.');

// The index of the token closing the parenthesis opened at `open`.
export function matchingParen(tokens, open) {
  let depth = 0;
  for (let at = open; at < tokens.length; ++at) {
    if (tokens[at].text === '(') ++depth;
    else if (tokens[at].text === ')' && --depth === 0) return at;
  }
  return tokens.length - 1;
}

// Applies [{ start, end, text }] edits (offsets into `sql`) and returns the
// new text; edits must not overlap, but an insertion (start = end) may sit
// where a removal begins: the removal goes first, the insertion stays.
export function applyEdits(sql, edits) {
  let out = sql;
  for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}
