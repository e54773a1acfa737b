// The fuzz's requests, one per case number: case i of seed s is always the same bytes, so a failure
// names its case and RELIABILITY_SEED replays it. Each case says what may answer it:
//   ok        a request node:http takes: 2xx (413 for a body over --max-body, 431 for a head over
//             --max-header-size, either near that limit); stored byte for byte
//   refused   malformed: a 4xx/5xx refusal with an id (kept with its reason), never a 503
//   cut       the sender sends part of a request and closes its side: any answer, or none
import { METHODS } from 'node:http';
import { gzipSync } from 'node:zlib';
import { rngFor, sha1 } from './rng.js';

const GOOD_METHODS = METHODS.filter((m) => m !== 'CONNECT');
const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const PATH_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@%";
const VALUE_CHARS = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';

/**
 * Case `i`: `{ i, kind, chunks (Buffers written one after another), expect: 'ok'|'refused'|'cut',
 * responses (how many answers), keepAlive (the connection may serve the next case), head (the
 * method, for a HEAD's bodiless answer), checks[] (per answer: {allowed statuses, sent:{method,
 * url, bodySha1, headersSha1} to compare with the store}) }`.
 */
export function fuzzCase(seed, i, limits) {
  const rng = rngFor(seed, 'fuzz', i);
  const kind = rng.weighted([
    [58, 'request'],
    [8, 'near-header-limit'],
    [4, 'over-body-limit'],
    [20, 'malformed'],
    [5, 'cut'],
    [5, 'pipelined'],
  ]);
  switch (kind) {
    case 'request':
      return single(i, kind, rng, wellFormed(rng, i, limits, {}));
    case 'near-header-limit':
      return single(i, kind, rng, wellFormed(rng, i, limits, { nearHeaderLimit: true }));
    case 'over-body-limit':
      return single(i, kind, rng, wellFormed(rng, i, limits, { overBodyLimit: true }));
    case 'pipelined': {
      // Several requests in one write; only the last may close the connection.
      const n = rng.int(2, 4);
      const parts = Array.from({ length: n }, (_, k) => wellFormed(rng, `${i}.${k}`, limits, { small: true, keepOpen: k < n - 1 }));
      const bytes = Buffer.concat(parts.map((p) => p.bytes));
      return {
        i,
        kind,
        chunks: split(rng, bytes),
        expect: 'ok',
        responses: parts.length,
        keepAlive: parts.every((p) => p.keepAlive),
        methods: parts.map((p) => p.method),
        checks: parts.map((p) => p.check),
      };
    }
    case 'cut': {
      const whole = wellFormed(rng, i, limits, { small: true, body: true }).bytes;
      const bytes = whole.subarray(0, rng.int(1, whole.length - 1));
      const inHead = bytes.indexOf('\r\n\r\n') === -1;
      return {
        i,
        kind,
        sub: inHead ? 'cut in the head' : 'cut in the body',
        chunks: [bytes],
        expect: 'cut',
        responses: 1,
        keepAlive: false,
        end: true,
        methods: [null],
        checks: [{ allowed: null }],
      };
    }
    default: {
      const m = malformed(rng, i, limits);
      return {
        i,
        kind,
        sub: m.sub,
        chunks: split(rng, m.bytes),
        expect: 'refused',
        responses: 1,
        keepAlive: false,
        methods: [m.method ?? null],
        checks: [{ allowed: m.allowed ?? null }],
      };
    }
  }
}

function single(i, kind, rng, p) {
  return { i, kind, sub: p.sub, chunks: split(rng, p.bytes), expect: 'ok', responses: 1, keepAlive: p.keepAlive, methods: [p.method], checks: [p.check] };
}

/** Sometimes the bytes go out in several writes, so that a head or a body arrives in several reads. */
function split(rng, bytes) {
  if (bytes.length < 2 || !rng.chance(0.3)) return [bytes];
  const cuts = [...new Set(Array.from({ length: rng.int(1, 3) }, () => rng.int(1, bytes.length - 1)))].sort((a, b) => a - b);
  const chunks = [];
  let at = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(at, cut));
    at = cut;
  }
  chunks.push(bytes.subarray(at));
  return chunks;
}

function randomPath(rng, i) {
  const segments = Array.from({ length: rng.int(0, 6) }, () =>
    rng.weighted([
      [6, () => rng.text(rng.int(1, 12), PATH_CHARS.replace('%', ''))],
      [2, () => encodeURIComponent(rng.text(rng.int(1, 6), 'äöü€中文🙂 /?#'))],
      [1, () => '..'],
      [1, () => ''],
      [1, () => rng.text(rng.int(200, 2000))],
    ])(),
  );
  let path = `/fuzz/${i}/${segments.join('/')}`;
  if (rng.chance(0.4)) {
    const pairs = Array.from({ length: rng.int(1, 6) }, () => `${rng.text(rng.int(1, 8))}=${encodeURIComponent(rng.text(rng.int(0, 20), 'abc äö=&?/+'))}`);
    path += `?${pairs.join('&')}${rng.chance(0.1) ? '&&=' : ''}`;
  }
  return path;
}

/** Headers of odd but valid names and values: duplicates, case, empty values, obs-text bytes. */
function randomHeaders(rng) {
  const headers = [];
  for (let k = rng.int(0, 25); k > 0; k--) {
    const name = rng.chance(0.5)
      ? `X-${rng.text(rng.int(1, 30), TOKEN_CHARS)}`
      : rng.pick(['X-Dup', 'x-dup', 'X-DUP', 'Accept', 'User-Agent', 'X-Signature', 'Cookie', 'Via']);
    let value = rng.chance(0.1) ? '' : rng.text(rng.int(1, 200), VALUE_CHARS).trim();
    if (rng.chance(0.1)) value += Buffer.from(rng.bytes(rng.int(1, 6)).map((b) => 0x80 | b)).toString('latin1');
    headers.push([name, value]);
  }
  return headers;
}

function randomBody(rng, limits, { small, overBodyLimit }) {
  if (overBodyLimit) return { body: rng.bytes(rng.int(limits.maxBody + 1, limits.maxBody * 2)), type: 'application/octet-stream', sub: 'over-max-body' };
  const max = small ? 2000 : 20_000;
  return rng.weighted([
    [3, () => ({ body: Buffer.alloc(0), type: null, sub: 'empty' })],
    [4, () => ({ body: rng.bytes(rng.int(1, max)), type: 'application/octet-stream', sub: 'random-bytes' })],
    [
      3,
      () => {
        const json = JSON.stringify({
          jobId: `fuzz-${rng.int(0, 50)}`,
          status: rng.pick(['done', 'running', 'failed']),
          data: rng.text(rng.int(0, max / 2), 'ab"\\{}[]:,ä'),
        });
        return { body: Buffer.from(json.slice(0, rng.int(1, json.length))), type: 'application/json', sub: 'truncated-json' };
      },
    ],
    [
      2,
      () => ({
        body: rng.bytes(rng.int(1, max)),
        type: 'application/json',
        encoding: rng.pick(['gzip', 'x-gzip', 'deflate', 'br', 'gzip, br']),
        sub: 'garbage-claiming-gzip',
      }),
    ],
    [
      2,
      () => ({
        body: gzipSync(JSON.stringify({ job_id: `fuzz-${rng.int(0, 50)}`, status: 'completed' })),
        type: 'application/json',
        encoding: 'gzip',
        sub: 'gzip-json',
      }),
    ],
    [
      2,
      () => ({
        body: Buffer.from(`job_id=fuzz-${rng.int(0, 50)}&status=done&x=${rng.text(rng.int(0, 100))}`),
        type: rng.chance(0.5) ? 'application/x-www-form-urlencoded' : null,
        sub: 'form',
      }),
    ],
    [2, () => ({ body: Buffer.from(rng.text(rng.int(1, max), 'abc äöü€中文🙂\n\r\t\u0000')), type: 'text/plain; charset=utf-8', sub: 'text' })],
    [5, () => ({ ...jsonEdge(rng), sub: 'json-edge' })],
  ])();
}

const JSON_TYPES = ['application/json', 'APPLICATION/JSON', 'application/json; charset=utf-8', 'application/vnd.api+json', 'application/cloudevents+json'];

/**
 * JSON bodies at the edges of what the log writes as it came (`bodyJson`) and what it encodes:
 * whitespace around the value, scalars, a key named bodyJson, deep nesting, duplicate keys, escaped
 * and raw separators, a byte order mark, line breaks, invalid UTF-8 inside a string.
 */
function jsonEdge(rng) {
  const forms = [
    () => `  \t{"jobId":"fuzz-${rng.int(0, 50)}","status":"done"} \t`,
    () => rng.pick(['0', '-0', '1e400', 'true', 'null', '""', '"\\u0000"', '[]', '{}', '"}"', '"\\"}"']),
    () => `{"a":1,"bodyJson":${rng.int(0, 9)},"x":"\\",\\"bodyJson\\":"}`,
    () => {
      const depth = rng.int(100, 20_000);
      return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    },
    () => `{"k":1,"k":2,"k":{"k":[${Array.from({ length: rng.int(1, 50) }, () => rng.int(-1e6, 1e6)).join(',')}]}}`,
    () => `{"sep":"\u2028\u2029","esc":"\\u2028\\ud800\\udc00\\ud800","s":"${rng.text(rng.int(0, 200), 'abcäö€🙂')}"}`,
    () => `\ufeff{"bom":true}`,
    () => `{\n  "pretty": true,\r\n  "jobId": "fuzz-${rng.int(0, 50)}"\n}`,
    () => Buffer.concat([Buffer.from('{"bad":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
    // Over 64 KiB: kept as it came, unparsed, and read back by its length, whether it is JSON or not.
    () => `{"jobId":"fuzz-${rng.int(0, 50)}","pad":"${'x'.repeat(rng.int(65_000, 70_000))}"${rng.pick(['}', ',', ',"bodyJson":{}}', ''])}`,
  ];
  const made = rng.pick(forms)();
  return { body: Buffer.isBuffer(made) ? made : Buffer.from(made, 'utf8'), type: rng.pick(JSON_TYPES) };
}

/**
 * A request node:http takes: random method, path, headers and body, sent with Content-Length or
 * chunked. Returns its bytes and what the store must hold for it.
 */
function wellFormed(rng, i, limits, { nearHeaderLimit = false, overBodyLimit = false, small = false, body: needsBody = false, keepOpen = false }) {
  const method = needsBody
    ? 'POST'
    : (rng.weighted([
        [30, 'POST'],
        [8, 'GET'],
        [5, 'PUT'],
        [4, 'PATCH'],
        [4, 'DELETE'],
        [3, 'OPTIONS'],
        [3, 'HEAD'],
        [6, null],
      ]) ?? rng.pick(GOOD_METHODS));
  const url = randomPath(rng, i);
  const headers = rng.chance(0.9) ? [['Host', `127.0.0.1:${rng.int(1, 65535)}`]] : [];
  headers.push(...randomHeaders(rng));
  const withBody = needsBody || overBodyLimit || !['GET', 'HEAD', 'OPTIONS'].includes(method) || rng.chance(0.2);
  const b = withBody ? randomBody(rng, limits, { small, overBodyLimit }) : { body: Buffer.alloc(0), type: null, sub: 'no-body' };
  if (b.type) headers.push(['Content-Type', b.type]);
  if (b.encoding) headers.push(['Content-Encoding', b.encoding]);
  const chunked = withBody && rng.chance(0.25);
  if (chunked) headers.push(['Transfer-Encoding', 'chunked']);
  else if (withBody) headers.push(['Content-Length', String(b.body.length)]);
  const expectContinue = withBody && !chunked && rng.chance(0.1);
  if (expectContinue) headers.push(['Expect', '100-continue']);
  const http10 = !keepOpen && rng.chance(0.03);
  const closing = http10 || (!keepOpen && rng.chance(0.05));
  if (closing && !http10) headers.push(['Connection', 'close']);
  const requestLine = `${method} ${url} HTTP/1.${http10 ? 0 : 1}\r\n`;
  let allowed = overBodyLimit ? [413] : [200];
  let sub = `${b.sub}${chunked ? '+chunked' : ''}`;
  if (nearHeaderLimit) {
    // One header sized so that the head lands within 3 kB of --max-header-size, either side. node:http
    // counts the target and the header names and values toward it (not the method, the version, the
    // colons and line ends): so does this.
    const target = limits.maxHeaderSize + rng.int(-3000, 3000);
    const name = rng.pick(['X-Huge', 'Authorization', 'Cookie']);
    const size = Math.max(1, target - counted(url, headers) - name.length);
    headers.splice(rng.int(0, headers.length), 0, [name, rng.text(size, TOKEN_CHARS)]);
    const n = counted(url, headers);
    allowed = n < limits.maxHeaderSize - 100 ? allowed : n > limits.maxHeaderSize + 100 ? [431] : [...allowed, 431];
    sub = `head of ${n} counted bytes`;
  }
  const head = Buffer.from(requestLine + headers.map(([n, v]) => `${n}: ${v}\r\n`).join('') + '\r\n', 'latin1');
  const bytes = Buffer.concat([head, chunked ? chunkedBody(rng, b.body) : b.body]);
  const check = {
    allowed,
    sent: { method, url, bodySha1: sha1(b.body), bodySize: b.body.length, headersSha1: sha1(JSON.stringify(headers)) },
  };
  return { sub, bytes, method, keepAlive: !closing && !overBodyLimit, check };
}

/** The bytes of a head node:http counts toward its maxHeaderSize: the target, each header's name and value. */
function counted(url, headers) {
  return Buffer.byteLength(url, 'latin1') + headers.reduce((n, [name, value]) => n + Buffer.byteLength(name + value, 'latin1'), 0);
}

/** A body in chunks of random sizes, sometimes with chunk extensions and trailers. */
function chunkedBody(rng, body) {
  const parts = [];
  let at = 0;
  while (at < body.length) {
    const n = Math.min(body.length - at, rng.int(1, Math.max(1, Math.ceil(body.length / rng.int(1, 8)))));
    const ext = rng.chance(0.1) ? `;${rng.text(3)}=${rng.text(3)}` : '';
    parts.push(Buffer.from(`${n.toString(16)}${ext}\r\n`), body.subarray(at, at + n), Buffer.from('\r\n'));
    at += n;
  }
  parts.push(Buffer.from(rng.chance(0.2) ? `0\r\nX-Trailer: ${rng.text(8)}\r\n\r\n` : '0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** Bytes node:http's parser refuses: each kept by hook-catch with its reason, and answered 4xx/5xx. */
function malformed(rng, i, limits) {
  const path = `/fuzz/${i}/malformed`;
  const forms = [
    ['unknown-method', () => `${rng.text(rng.int(3, 10), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}X ${path} HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['lower-case-method', () => `${rng.pick(['post', 'get', 'Post', 'pUT'])} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`],
    ['bad-version', () => `POST ${path} HTTP/${rng.pick(['9.9', '1.2', '0.1', '1', 'x.y', '11.1'])}\r\nHost: x\r\n\r\n`],
    ['http2-preface', () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['lf-only', () => `POST ${path} HTTP/1.1\nHost: x\nContent-Length: 2\n\n{}`],
    ['header-without-colon', () => `POST ${path} HTTP/1.1\r\nHost: x\r\n${rng.text(10)}\r\n\r\n`],
    ['space-in-header-name', () => `POST ${path} HTTP/1.1\r\nHost: x\r\nX ${rng.text(5)}: y\r\n\r\n`],
    [
      'bad-char-in-header-name',
      () => `POST ${path} HTTP/1.1\r\nHost: x\r\nX-${rng.pick(['(', ')', '<', '>', '@', ',', ';', '"', '[', ']', '{', '}', '\x01'])}a: y\r\n\r\n`,
    ],
    [
      'control-char-in-value',
      () => `POST ${path} HTTP/1.1\r\nHost: x\r\nX-A: a${String.fromCharCode(rng.pick([0, 1, 8, 0x7f, 11, 12]))}b\r\nContent-Length: 0\r\n\r\n`,
    ],
    ['nul-in-target', () => `POST ${path}\0x HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['content-length-and-chunked', () => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`],
    ['two-content-lengths', () => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`],
    [
      'bad-content-length',
      () => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${rng.pick(['-1', 'abc', '1e3', '0x10', '99999999999999999999999'])}\r\n\r\n`,
    ],
    [
      'transfer-encoding-not-chunked',
      () => `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ${rng.pick(['gzip', 'chunked, gzip', 'identity'])}\r\n\r\nabc`,
    ],
    ['bad-chunk-size', () => `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${rng.pick(['zz', '-1', '0x3', 'g'])}\r\nabc\r\n0\r\n\r\n`],
    ['chunk-longer-than-declared', () => `POST ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcdef\r\n0\r\n\r\n`],
    ['obs-fold', () => `POST ${path} HTTP/1.1\r\nHost: x\r\nX-A: a\r\n  folded\r\nContent-Length: 0\r\n\r\n`],
    ['tls-client-hello', () => Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), rng.bytes(rng.int(10, 200))])],
    ['connect', () => `CONNECT ${rng.text(8)}.example:443 HTTP/1.1\r\nHost: x\r\n\r\n`],
    [
      'expect-unknown',
      () => `POST ${path} HTTP/1.1\r\nHost: x\r\nExpect: ${rng.pick(['bogus', '200-ok', 'continue', '101-switch'])}\r\nContent-Length: 2\r\n\r\n{}`,
    ],
    ['random-bytes', () => Buffer.concat([Buffer.from([rng.pick([0x00, 0x01, 0x7f, 0xff, 0x80, 0x20, 0x0b])]), rng.bytes(rng.int(5, 3000))])],
    ['huge-target', () => `GET /${rng.text(limits.maxHeaderSize + rng.int(1000, 20_000))} HTTP/1.1\r\nHost: x\r\n\r\n`],
    // 7 counted bytes a line (see counted()): the head is over the limit however node:http counts it.
    ['many-headers', () => `POST ${path} HTTP/1.1\r\nHost: x\r\n${'X-Many: v\r\n'.repeat(Math.ceil((limits.maxHeaderSize + rng.int(1000, 20_000)) / 7))}\r\n`],
    ['huge-header-value', () => `POST ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${rng.text(limits.maxHeaderSize + rng.int(1000, 100_000))}\r\n\r\n`],
  ];
  const [sub, make] = rng.pick(forms);
  const made = make();
  return { sub, bytes: Buffer.isBuffer(made) ? made : Buffer.from(made, 'latin1') };
}
