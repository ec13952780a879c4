import { describe, expect, it } from 'vitest';
import { normalizeMessage } from './normalize-message.ts';

describe('normalizeMessage', () => {
  it.each<[string, string]>([
    [
      'Failed password for root from 10.0.0.7 port 52231 ssh2',
      'Failed password for root from <*> port <*> <*>',
    ],
    // quoted and bracketed parts are dropped whole
    ['user "john doe" logged in from [10.0.0.1] (via sso)', 'user logged in from'],
    ["loading 'my file.txt' failed", 'loading failed'],
    ['276 bytes received', '<*> bytes received'],
    ['276 bytes (1.2 KB) received', '<*> bytes received'],
    // numbers, hex, UUIDs, IPs, times: a value, whatever its inner punctuation
    ['id 550e8400-e29b-41d4-a716-446655440000 done', 'id <*> done'],
    ['addr 0x7ffd5a3c at 10.251.73.220:50010', 'addr <*> at <*>'],
    ['took 12.5 ms', 'took <*>'],
    ['lifetime <1 sec', 'lifetime <*>'],
    ['at Fri Jun 17 07:07:00 2005', 'at <*> <*> <*> <*> <*>'],
    // a value inside a word keeps the word's constant part
    ['key=value count=42 port:8080', 'key=value count=<*> port:<*>'],
    ['blk_-6952295868487656571 and blk_123', 'blk_<*> and blk_<*>'],
    ['broadcast_5_piece0 CPU#1 PS/2', 'broadcast_<*>_<*> CPU#<*> PS/<*>'],
    ['uid=-1 offset +42', 'uid=<*> offset <*>'],
    // words without digits are kept as written, apostrophes are not quotes
    ["don't panic", "don't panic"],
    ['jk2_init() Found child', '<*>_init() Found child'],
    // only the first line names a multi-line message
    [
      'java.lang.IllegalStateException: boom 42\n\tat a.B.c(B.java:1)',
      'java.lang.IllegalStateException: boom <*>',
    ],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (message, shape) => {
    expect(normalizeMessage(message).join(' ')).toBe(shape);
  });

  it('keeps an unclosed bracket or quote as an ordinary word', () => {
    expect(normalizeMessage('value [unclosed and "open').join(' ')).toBe('value [unclosed and "open');
  });

  it('bounds the number of words', () => {
    expect(normalizeMessage('word '.repeat(500))).toHaveLength(64);
  });
});
