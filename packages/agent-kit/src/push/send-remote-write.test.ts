import { describe, expect, it } from 'vitest';
import { classifyAnswer } from './send-remote-write.ts';

describe('classifyAnswer', () => {
  it.each([
    [200, 'sent'],
    [204, 'sent'],
    [400, 'rejected'],
    [404, 'rejected'],
    [413, 'rejected'],
    [415, 'rejected'],
    [401, 'unauthorized'],
    [403, 'unauthorized'],
    [408, 'retryable'],
    [429, 'retryable'],
    [500, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
    [304, 'retryable'],
  ])('status %i is %s', (status, kind) => {
    expect(classifyAnswer(status, '', null).kind).toBe(kind);
  });

  it('keeps the first 200 characters of the answer, whitespace collapsed', () => {
    const long = `out of order sample\n${'x'.repeat(500)}`;
    const outcome = classifyAnswer(400, long, null);
    expect(outcome).toMatchObject({ kind: 'rejected', status: 400 });
    const message = (outcome as { message: string }).message;
    expect(message.startsWith('400: out of order sample xxx')).toBe(true);
    expect(message).toHaveLength('400: '.length + 200 + 1);
    expect(classifyAnswer(503, '', null)).toMatchObject({ message: '503: (no message)' });
  });

  it('reads Retry-After on retryable answers', () => {
    expect(classifyAnswer(429, 'slow down', '7')).toEqual({
      kind: 'retryable',
      status: 429,
      message: '429: slow down',
      retryAfterMs: 7000,
    });
  });
});
