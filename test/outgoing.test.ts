import { describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../src/capture/capture.js';
import { joinTarget, outgoing } from '../src/send/outgoing.js';

function capture(headers: [string, string][], body: string): CapturedRequest {
  return {
    id: '0000000000000aaaaa',
    receivedAt: new Date(0).toISOString(),
    method: 'POST',
    url: '/webhook?x=1',
    path: '/webhook',
    query: [['x', '1']],
    httpVersion: '1.1',
    headers,
    remoteAddress: '127.0.0.1',
    contentType: null,
    bodySize: body.length,
    bodyDiscarded: false,
    response: { status: 200 },
    body: Buffer.from(body),
  };
}

describe('what a replay sends', () => {
  const target = new URL('http://app.test:3000/in');

  it('keeps Content-Length as captured when the body is unchanged, and computes it when it changed', () => {
    const same = outgoing(
      capture(
        [
          ['Host', 'x'],
          ['Content-Length', '5'],
        ],
        'hello',
      ),
      target,
      { body: Buffer.from('hello') },
    );
    expect(same.headers).toEqual([
      ['Host', 'app.test:3000'],
      ['Content-Length', '5'],
    ]);
    expect(same.edited).toBe(false);
    const changed = outgoing(
      capture(
        [
          ['Host', 'x'],
          ['Content-Length', '5'],
          ['X-A', '1'],
        ],
        'hello',
      ),
      target,
      { body: Buffer.from('hello, world') },
    );
    expect(changed.headers).toEqual([
      ['Host', 'app.test:3000'],
      ['Content-Length', '12'],
      ['X-A', '1'],
    ]);
    expect(changed.edited).toBe(true);
  });

  it('a chunked capture is sent with a Content-Length, its Transfer-Encoding and the headers Connection names dropped', () => {
    const out = outgoing(
      capture(
        [
          ['Host', 'x'],
          ['Transfer-Encoding', 'chunked'],
          ['Connection', 'close, X-Proxy-Only'],
          ['X-Proxy-Only', '1'],
          ['X-Keep', '2'],
        ],
        'abc',
      ),
      target,
    );
    expect(out.headers).toEqual([
      ['Host', 'app.test:3000'],
      ['X-Keep', '2'],
      ['Content-Length', '3'],
    ]);
  });

  it('Content-Length is counted from the bytes sent, whatever the stored one says (too small, too large, doubled, beside chunked)', () => {
    const body = 'hello, this body is longer than its stored Content-Length says';
    const says = (headers: [string, string][]) => outgoing(capture(headers, body), target).headers;
    const length = String(Buffer.byteLength(body));
    expect(
      says([
        ['Host', 'x'],
        ['Content-Length', '5'],
        ['X-A', '1'],
      ]),
    ).toEqual([
      ['Host', 'app.test:3000'],
      ['Content-Length', length],
      ['X-A', '1'],
    ]);
    expect(
      says([
        ['Host', 'x'],
        ['content-length', '900'],
      ]),
    ).toEqual([
      ['Host', 'app.test:3000'],
      ['content-length', length],
    ]);
    expect(
      says([
        ['Host', 'x'],
        ['Content-Length', '5'],
        ['Content-Length', '61'],
      ]),
    ).toEqual([
      ['Host', 'app.test:3000'],
      ['Content-Length', length],
    ]);
    expect(
      says([
        ['Host', 'x'],
        ['Transfer-Encoding', 'chunked'],
        ['Content-Length', '5'],
      ]),
    ).toEqual([
      ['Host', 'app.test:3000'],
      ['Content-Length', length],
    ]);
    // An unedited replay is still unedited: correcting the framing is not an edit.
    expect(outgoing(capture([['Content-Length', '5']], body), target).edited).toBe(false);
  });

  it('a method that carries content says its length even when the body is empty (never chunked); a GET without a body gets none', () => {
    const post = outgoing(
      capture(
        [
          ['Host', 'x'],
          ['X-A', '1'],
        ],
        '',
      ),
      target,
    );
    expect(post.headers).toEqual([
      ['Host', 'app.test:3000'],
      ['X-A', '1'],
      ['Content-Length', '0'],
    ]);
    const get = outgoing({ ...capture([['Host', 'x']], ''), method: 'GET' }, target);
    expect(get.headers).toEqual([['Host', 'app.test:3000']]);
    const chunkedEmpty = outgoing(
      {
        ...capture(
          [
            ['Host', 'x'],
            ['Transfer-Encoding', 'chunked'],
          ],
          '',
        ),
        method: 'DELETE',
      },
      target,
    );
    expect(chunkedEmpty.headers).toEqual([
      ['Host', 'app.test:3000'],
      ['Content-Length', '0'],
    ]);
  });

  it('set headers take the place of the first of their name; removed ones go, any case', () => {
    const out = outgoing(
      capture(
        [
          ['X-A', '1'],
          ['Host', 'x'],
          ['x-a', '2'],
          ['X-B', '3'],
        ],
        '',
      ),
      target,
      {
        setHeaders: [
          ['X-A', 'new'],
          ['X-C', 'added'],
        ],
        removeHeaders: ['x-b'],
      },
    );
    expect(out.headers).toEqual([
      ['X-A', 'new'],
      ['Host', 'app.test:3000'],
      ['X-C', 'added'],
      ['Content-Length', '0'],
    ]);
  });

  it('puts the captured path and query below the target path, keeping the target query first', () => {
    expect(joinTarget(new URL('http://a.test/'), '/webhook?x=1').href).toBe('http://a.test/webhook?x=1');
    expect(joinTarget(new URL('http://a.test/base/?k=v'), '/w/1?x=1').href).toBe('http://a.test/base/w/1?k=v&x=1');
    expect(joinTarget(new URL('https://a.test:8443/base'), '/').href).toBe('https://a.test:8443/base/');
  });
});
