import { expect } from 'vitest';
import { json, send } from './index.js';

/** A hook-catch/fixture@1 of a JSON webhook first received at `receivedAt` (long ago, as fixtures kept in a repository are). */
export function fixtureOf(body: object, receivedAt = '2020-03-01T12:00:00.000Z') {
  const text = JSON.stringify(body);
  return {
    format: 'hook-catch/fixture@1',
    id: '0k6zzzzzz000abcdef',
    receivedAt,
    method: 'POST',
    url: '/webhook',
    path: '/webhook',
    query: [],
    httpVersion: '1.1',
    headers: [['Content-Type', 'application/json']],
    redacted: [],
    job: null,
    status: 200,
    contentType: 'application/json',
    bodySize: Buffer.byteLength(text),
    bodyDiscarded: false,
    bodyEncoding: 'utf8',
    body: text,
  };
}

/** Imports fixtures through a running instance's API (as `hook-catch import` does); the new ids. */
export async function importThrough(inspectorUrl: string, fixtures: object[]): Promise<string[]> {
  const reply = await send(`${inspectorUrl}/api/requests/import`, {
    method: 'POST',
    body: JSON.stringify({ fixtures }),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(reply.status).toBe(201);
  return json(reply).ids;
}
