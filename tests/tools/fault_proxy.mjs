#!/usr/bin/env node
// An HTTP proxy on 127.0.0.1 in front of an S3 server that injects the
// faults S3 clients must survive, for the S3 integration tests. No
// dependencies beyond Node itself.
//
//   node tests/tools/fault_proxy.mjs --target http://127.0.0.1:4568 [options]
//
//   --port N              listen on N (default 0: any free port)
//   --lifetime-s S        exit by itself after S seconds (default 300)
//   --fail-every N        answer one request in N (the Nth, 2Nth, …) with
//   --fail-status CODE      this status (default 503) and an S3 <Error> body
//   --fail-code NAME        with this code (default SlowDown for 503,
//                           InternalError for 500, ServiceUnavailable else)
//   --fail-match REGEX    only requests whose decoded path matches REGEX
//                           count toward --fail-every and are failed
//   --delay-every N       hold one request in N (default 1: all) for
//   --delay-ms MS           MS milliseconds before forwarding it
//   --drop-every N        cut one GET response in N with a body of 2 bytes or
//                           more after half its body (the connection dies)
//   --deny REGEX          answer 403 AccessDenied to requests whose decoded
//                           path matches REGEX
//   --deny-all            answer 403 AccessDenied to every request
//   A request (method and URL) that was failed, held or cut once passes the
//   next time it comes, so that a client's retry always gets through;
//   with N = 1 every request is hit.
//   --verify-sigv4 SECRET check every signed request's SigV4 signature the
//                           way S3 computes it, and answer 403
//                           SignatureDoesNotMatch when it differs
//   --sigv4-region R      also require region R in the credential scope
//
// It prints "listening 127.0.0.1:PORT" on stdout once it accepts requests.
// GET /__stats answers its counters as JSON (requests seen, forwarded,
// failed, delayed, dropped, denied, signatures checked and rejected);
// POST /__reset zeroes them. On SIGTERM or SIGINT, or when its lifetime
// ends, it prints the counters as one JSON line and exits.

import http from 'node:http';
import crypto from 'node:crypto';

function parseArgs(argv) {
  const options = {
    target: null, port: 0, lifetimeS: 300, failEvery: 0, failStatus: 503, failCode: null,
    failMatch: null, delayEvery: 1, delayMs: 0, dropEvery: 0, deny: null, denyAll: false, verifySecret: null,
    sigv4Region: null,
  };
  const numeric = new Set(['port', 'lifetimeS', 'failEvery', 'failStatus', 'delayEvery', 'delayMs', 'dropEvery']);
  for (let i = 0; i < argv.length; ++i) {
    const flag = argv[i];
    if (!flag.startsWith('--')) throw new Error(`unexpected argument ${flag}`);
    const name = flag.slice(2).replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
    const key = name === 'verifySigv4' ? 'verifySecret' : name;
    if (key === 'denyAll') {
      options.denyAll = true;
      continue;
    }
    if (!(key in options)) throw new Error(`unknown flag ${flag}`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    options[key] = numeric.has(key) ? Number(value) : value;
    if (numeric.has(key) && !Number.isFinite(options[key])) throw new Error(`${flag} needs a number`);
  }
  if (!options.target) throw new Error('--target http://host:port is required');
  if (!options.failCode) {
    options.failCode = options.failStatus === 503 ? 'SlowDown'
      : options.failStatus === 500 ? 'InternalError' : 'ServiceUnavailable';
  }
  options.deny = options.deny ? new RegExp(options.deny) : null;
  options.failMatch = options.failMatch ? new RegExp(options.failMatch) : null;
  return options;
}

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fault_proxy: ${error.message}\n`);
  process.exit(2);
}
const target = new URL(options.target);
const upstreamAgent = new http.Agent({ keepAlive: true, maxSockets: 512 });

const zeroStats = () => ({
  requests: 0, forwarded: 0, failed: 0, delayed: 0, dropped: 0, denied: 0,
  signatures_checked: 0, signature_mismatches: 0, upstream_errors: 0, by_method: {},
  mismatch_reasons: [],
});
let stats = zeroStats();
let getsWithBody = 0;
let failCandidates = 0;  // requests that --fail-match lets through to --fail-every
const faulted = new Set();

// Whether the `counter`th request (or response) gets the fault that hits
// one in `every`.
function hits(counter, every, req) {
  if (every <= 0 || counter % every !== 0) return false;
  if (every === 1) return true;
  const key = `${req.method} ${req.url}`;
  if (faulted.has(key)) return false;
  faulted.add(key);
  return true;
}

function errorXml(code, message, requestNumber) {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message>` +
    `<RequestId>fault-proxy-${requestNumber}</RequestId></Error>`;
}

function answer(req, res, status, code, message, requestNumber) {
  const body = errorXml(code, message, requestNumber);
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

// RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~.
function awsEncode(text) {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

const sha256Hex = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

// Recomputes the signature from the request as received, canonicalising it
// the way S3 does (decode, then re-encode path segments and query
// parameters; sort the query), so that a client which signs a form S3 would
// not rebuild is caught. Returns null when it matches, else the reason.
function sigv4Problem(req, body) {
  const authorization = req.headers.authorization;
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
    .exec(authorization);
  if (!match) return 'malformed Authorization header';
  const [, , date, region, service, signedHeaderList, signature] = match;
  if (service !== 's3') return `service ${service} in the credential scope, not s3`;
  if (options.sigv4Region && region !== options.sigv4Region) return `region ${region}, not ${options.sigv4Region}`;
  const amzDate = req.headers['x-amz-date'];
  if (!amzDate || !amzDate.startsWith(date)) return 'x-amz-date missing or not of the scope date';
  const signedHeaders = signedHeaderList.split(';');
  for (const name of Object.keys(req.headers)) {
    if ((name === 'host' || name.startsWith('x-amz-')) && !signedHeaders.includes(name)) {
      return `header ${name} is not signed`;
    }
  }
  for (const name of signedHeaders) {
    if (!(name in req.headers)) return `signed header ${name} was not sent`;
  }
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (!payloadHash) return 'no x-amz-content-sha256 header';
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(body)) return 'x-amz-content-sha256 is not the body hash';

  const queryAt = req.url.indexOf('?');
  const rawPath = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? '' : req.url.slice(queryAt + 1);
  const segments = rawPath.split('/').map(safeDecode);
  if (segments.includes(null)) return 'undecodable path';
  const canonicalUri = segments.map(awsEncode).join('/');
  const params = [];
  for (const part of rawQuery === '' ? [] : rawQuery.split('&')) {
    const equals = part.indexOf('=');
    const name = safeDecode(equals < 0 ? part : part.slice(0, equals));
    const value = safeDecode(equals < 0 ? '' : part.slice(equals + 1));
    if (name === null || value === null) return 'undecodable query';
    params.push([awsEncode(name), awsEncode(value)]);
  }
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const canonicalQuery = params.map(([name, value]) => `${name}=${value}`).join('&');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${String(req.headers[name]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash]
    .join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${options.verifySecret}`, date), region), service), 'aws4_request');
  const expected = hmac(signingKey, stringToSign).toString('hex');
  return expected === signature ? null : `signature differs for: ${req.method} ${canonicalUri}?${canonicalQuery}`;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'expect', 'transfer-encoding', 'upgrade', 'proxy-connection']);

function forward(req, res, body, requestNumber) {
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  headers['content-length'] = String(body.length);
  const upstream = http.request({
    host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: upstreamAgent,
  }, (upstreamRes) => {
    const chunks = [];
    upstreamRes.on('data', (chunk) => chunks.push(chunk));
    upstreamRes.on('end', () => {
      const payload = Buffer.concat(chunks);
      const responseHeaders = { ...upstreamRes.headers };
      delete responseHeaders['transfer-encoding'];
      delete responseHeaders.connection;
      delete responseHeaders['keep-alive'];
      if (req.method !== 'HEAD') responseHeaders['content-length'] = String(payload.length);
      stats.forwarded += 1;
      const droppable = req.method === 'GET' && upstreamRes.statusCode === 200 && payload.length >= 2;
      if (droppable) getsWithBody += 1;
      if (droppable && hits(getsWithBody, options.dropEvery, req)) {
        stats.dropped += 1;
        res.writeHead(upstreamRes.statusCode, responseHeaders);
        res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => {
          // The promised length never comes: the client sees a body cut short.
          setTimeout(() => res.socket && res.socket.destroy(), 10);
        });
        return;
      }
      res.writeHead(upstreamRes.statusCode, responseHeaders);
      res.end(req.method === 'HEAD' ? undefined : payload);
    });
  });
  upstream.on('error', (error) => {
    stats.upstream_errors += 1;
    if (!res.headersSent) answer(req, res, 502, 'BadGateway', `upstream: ${error.message}`, requestNumber);
  });
  upstream.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (req.url === '/__stats' && req.method === 'GET') {
      const text = JSON.stringify(stats);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (req.url === '/__reset' && req.method === 'POST') {
      stats = zeroStats();
      getsWithBody = 0;
      failCandidates = 0;
      faulted.clear();
      res.writeHead(204);
      res.end();
      return;
    }
    stats.requests += 1;
    const requestNumber = stats.requests;
    stats.by_method[req.method] = (stats.by_method[req.method] || 0) + 1;

    const path = safeDecode(req.url.split('?')[0]) ?? req.url;
    if (options.denyAll || (options.deny && options.deny.test(path))) {
      stats.denied += 1;
      answer(req, res, 403, 'AccessDenied', 'Access Denied', requestNumber);
      return;
    }
    if (options.verifySecret && req.headers.authorization) {
      stats.signatures_checked += 1;
      const problem = sigv4Problem(req, body);
      if (problem) {
        stats.signature_mismatches += 1;
        if (stats.mismatch_reasons.length < 20) stats.mismatch_reasons.push(problem);
        answer(req, res, 403, 'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided.', requestNumber);
        return;
      }
    }
    const failCandidate = !options.failMatch || options.failMatch.test(path);
    if (failCandidate) failCandidates += 1;
    // Without --fail-match every request is a candidate, counted by its
    // request number (denied ones included).
    if (failCandidate && hits(options.failMatch ? failCandidates : requestNumber, options.failEvery, req)) {
      stats.failed += 1;
      answer(req, res, options.failStatus, options.failCode, 'Injected by the fault proxy.', requestNumber);
      return;
    }
    if (options.delayMs > 0 && hits(requestNumber, options.delayEvery, req)) {
      stats.delayed += 1;
      setTimeout(() => forward(req, res, body, requestNumber), options.delayMs);
      return;
    }
    forward(req, res, body, requestNumber);
  });
});
server.keepAliveTimeout = 30_000;

function finish() {
  process.stdout.write(`${JSON.stringify(stats)}\n`, () => process.exit(0));
}
process.on('SIGTERM', finish);
process.on('SIGINT', finish);
setTimeout(finish, options.lifetimeS * 1000).unref();

server.listen(options.port, '127.0.0.1', () => {
  process.stdout.write(`listening 127.0.0.1:${server.address().port}\n`);
});
