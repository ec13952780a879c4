/**
 * Log levels with Coroot's names (critical|error|warning|info|debug|unknown) and guessing a
 * message's level from its first tokens, the way the agent labels `container_log_messages_total`.
 *
 * Only the head of the message is looked at (a timestamp, a logger name, then the level, as
 * almost every logging library writes them): a word such as "error" deep inside an info message
 * must not make it an error. Upper-case level words count anywhere in the head; lower-case and
 * capitalised ones only where they are marked as a level: `[warn]`, `level=warn`, `<warn>`,
 * `warn:` or `"level":"warn"` (`status=error` is not a level). A level word must stand alone
 * (`ERR_CONNECTION_RESET` is not one). glog/klog headers (`E0412 10:00:00.123 …`) are recognised too.
 */

export type LogLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug' | 'unknown';

/** Every level, most severe first. */
export const LOG_LEVELS: readonly LogLevel[] = ['critical', 'error', 'warning', 'info', 'debug', 'unknown'];

/** Level words as logging libraries write them (lower case) → level. */
const LEVEL_WORDS: ReadonlyMap<string, LogLevel> = new Map<string, LogLevel>([
  ['critical', 'critical'],
  ['crit', 'critical'],
  ['fatal', 'critical'],
  ['panic', 'critical'],
  ['emerg', 'critical'],
  ['emergency', 'critical'],
  ['alert', 'critical'],
  ['severe', 'error'],
  ['error', 'error'],
  ['err', 'error'],
  ['eror', 'error'],
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['wrn', 'warning'],
  ['info', 'info'],
  ['inf', 'info'],
  ['information', 'info'],
  ['notice', 'info'],
  ['debug', 'debug'],
  ['dbg', 'debug'],
  ['trace', 'debug'],
  ['fine', 'debug'],
  ['finer', 'debug'],
  ['finest', 'debug'],
  ['verbose', 'debug'],
]);

/** Lower-case first letters of the level words (char codes). */
const LEVEL_INITIALS = new Set([...LEVEL_WORDS.keys()].map((word) => word.charCodeAt(0)));

/** How far into a message the level is looked for. */
const HEAD_CHARS = 160;
const HEAD_WORDS = 12;

const GLOG_HEADER = /^([IWEF])\d{4} \d{2}:\d{2}:\d{2}/;
const GLOG_LEVELS: Readonly<Record<string, LogLevel>> = {
  I: 'info',
  W: 'warning',
  E: 'error',
  F: 'critical',
};
const PYTHON_TRACEBACK = 'Traceback (most recent call last):';
const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * Guesses the level of one (assembled) message from its head; 'unknown' when no level word is
 * found. A bare Python traceback counts as an error.
 */
export function detectLevel(message: string): LogLevel {
  const glog = GLOG_HEADER.exec(message);
  if (glog !== null) return GLOG_LEVELS[glog[1]!]!;
  const end = Math.min(message.length, HEAD_CHARS);
  let words = 0;
  let i = 0;
  while (i < end && words < HEAD_WORDS) {
    const code = message.charCodeAt(i);
    if (!isLetter(code)) {
      if (code === 32) words++;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < message.length && isLetter(message.charCodeAt(j))) j++;
    // Level words are 3 to 11 letters long and begin with one of a few letters: most words are
    // rejected before a string is made of them.
    const length = j - i;
    if (length < 3 || length > 11 || !LEVEL_INITIALS.has(message.charCodeAt(i) | 32)) {
      i = j;
      continue;
    }
    const word = message.slice(i, j);
    const level = LEVEL_WORDS.get(word.toLowerCase());
    if (
      level !== undefined &&
      standsAlone(message, i, j) &&
      (isUpperCase(word) || isMarkedAsLevel(message, i, j))
    ) {
      return level;
    }
    i = j;
  }
  if (message.startsWith(PYTHON_TRACEBACK)) return 'error';
  return 'unknown';
}

function isUpperCase(word: string): boolean {
  return word.length > 1 && word === word.toUpperCase();
}

/** `[warn]`, `<warn>`, `level=warn`, `"level":"warn"`, `warn:` (the word is message[start, end)). */
function isMarkedAsLevel(message: string, start: number, end: number): boolean {
  const before = start > 0 ? message[start - 1] : '';
  const after = end < message.length ? message[end] : '';
  if (before === '[' && after === ']') return true;
  if (before === '<' && after === '>') return true;
  if (after === ':' && (start === 0 || before === ' ')) return true;
  return LEVEL_KEY_BEFORE.test(message.slice(Math.max(0, start - 16), start));
}

/** `level=`, `lvl="`, `"severity":"`, `"level": "` right before the word. */
const LEVEL_KEY_BEFORE = /(?:^|[^\w.])"?(?:level|lvl|severity|loglevel|log\.level)"?\s*[=:]\s*"?$/i;

/** A level word must be a word of its own: not part of `ERR_CONNECTION` or `INFO2`. */
const isWordChar = (c: number): boolean => c === 95 || (c >= 48 && c <= 57); // '_' or a digit

function standsAlone(message: string, start: number, end: number): boolean {
  return (
    (start === 0 || !isWordChar(message.charCodeAt(start - 1))) &&
    (end >= message.length || !isWordChar(message.charCodeAt(end)))
  );
}

/** Whether messages of this level are clustered into patterns (warning and above, as Coroot). */
export function isPatternLevel(level: LogLevel): boolean {
  return level === 'critical' || level === 'error' || level === 'warning';
}

/** A level name as found in a structured field (`"level":"WARN"`, severity text); undefined if unknown. */
export function levelFromName(name: string): LogLevel | undefined {
  return LEVEL_WORDS.get(name.trim().toLowerCase());
}

/** journald/syslog PRIORITY (0 emerg … 7 debug) → level. */
export function levelFromJournaldPriority(priority: number): LogLevel {
  if (!Number.isInteger(priority) || priority < 0 || priority > 7) return 'unknown';
  if (priority <= 2) return 'critical';
  if (priority === 3) return 'error';
  if (priority === 4) return 'warning';
  if (priority <= 6) return 'info';
  return 'debug';
}
