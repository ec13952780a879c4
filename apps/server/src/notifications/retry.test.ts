import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { classify, httpSender, parseRetryAfter } from './http-client.ts';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from './retry.ts';

describe('backoff', () => {
  it.each([
    // retry, random, delay: equal jitter over 1 s × 2^(retry-1), capped at 30 s
    [1, 0, 500],
    [1, 1, 1000],
    [2, 0.5, 1500],
    [3, 0, 2000],
    [4, 1, 8000],
    [6, 1, 30_000],
    [20, 0, 15_000],
  ])('retry %i with random %d waits %d ms', (retry, random, expected) => {
    expect(backoffDelayMs(retry, DEFAULT_RETRY_POLICY, () => random)).toBe(expected);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2025, 0, 1, 12);
  it.each([
    [null, undefined],
    ['0', 0],
    ['120', 120_000],
    [' 7 ', 7000],
    ['Wed, 01 Jan 2025 12:00:30 GMT', 30_000],
    ['Wed, 01 Jan 2025 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
  ])('%j means %j ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('answer classification', () => {
  const answer = (status: number, statusText = '', retryAfterMs?: number) => ({
    status,
    statusText,
    text: '',
    retryAfterMs,
  });
  it.each([
    [200, 'ok'],
    [202, 'ok'],
    [204, 'ok'],
    [301, 'failed'],
    [400, 'failed'],
    [403, 'failed'],
    [404, 'failed'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
  ])('HTTP %i is %s', (status, kind) => {
    expect(classify(answer(status)).kind).toBe(kind);
  });

  it('passes Retry-After on with a retryable answer', () => {
    expect(classify(answer(429, 'Too Many Requests', 5000))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 5000,
    });
  });
});

describe('HTTP sender', () => {
  it('gives up on a receiver that does not answer within the timeout', async () => {
    const server = createServer(() => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const send = httpSender({ timeoutMs: 100, signal: new AbortController().signal });
      const result = await send({ url: `http://127.0.0.1:${port}/`, body: {} });
      expect(result).toEqual({ error: new Error('no answer within 100 ms') });
      expect(classify(result).kind).toBe('retryable');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
