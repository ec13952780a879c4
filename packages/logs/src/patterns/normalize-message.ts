/**
 * A message's shape: its words with the parts that vary between occurrences taken out.
 *
 *   Failed password for root from 10.0.0.7 port 52231 ssh2 [preauth]
 *   → Failed password for root from <*> port <*> <*>
 *
 * - quoted parts ("…", '…', `…`) and bracketed groups that start a word ([…], (…), {…}) are
 *   dropped whole: they hold values, and optional ones ("276 bytes (1.2 KB) received") must not
 *   change the message's length;
 * - a word holding a digit is split at `: = , / @ ( ) . _ - # [ ] ; +`, and each part with a
 *   digit becomes WILDCARD (`port:8080` → `port:<*>`, `blk_-12` → `blk_<*>`, `CPU#1` → `CPU#<*>`);
 *   numbers joined by separators are one value (`10.0.0.1:80`, `07:07:00`, a UUID → `<*>`), and a
 *   sign belongs to its number — this covers numbers, hex, UUIDs, IP addresses and times;
 * - weekday and month names are values (dates written out), and a unit after a value is part of
 *   it (`5 sec`, `3 KB` → `<*>`);
 * - only the first MAX_WORDS words count (a huge message is named by its head).
 *
 * Only the first line of a multi-line message is used: a stack trace's frames vary with the code
 * path but the first line says what happened.
 */

export const WILDCARD = '<*>';
const MAX_WORDS = 64;
const MAX_SCAN_CHARS = 2000;

/** Dates written out ("at Sun Jul 10 03:55:21 2005") vary like numbers. */
const DATE_WORDS = new Set(
  'Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' '),
);
const UNITS = new Set(
  'ns us µs ms s sec secs second seconds min mins minute minutes h hr hrs hour hours d days B KB MB GB TB KiB MiB GiB TiB %'.split(
    ' ',
  ),
);

const OPENERS: Readonly<Record<string, string>> = { '[': ']', '(': ')', '{': '}' };
const QUOTES = new Set(['"', "'", '`']);

/** The message's words after normalisation (see the file comment). */
export function normalizeMessage(message: string): string[] {
  let end = message.indexOf('\n');
  if (end < 0) end = message.length;
  end = Math.min(end, MAX_SCAN_CHARS);
  const words: string[] = [];
  let i = 0;
  while (i < end && words.length < MAX_WORDS) {
    const ch = message[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    // Quoted or bracketed group at the start of a word: skip it whole.
    const close = QUOTES.has(ch) ? ch : OPENERS[ch];
    if (close !== undefined) {
      const after = skipGroup(message, i, end, ch, close);
      if (after > 0) {
        i = after;
        continue;
      }
    }
    let j = i + 1;
    while (j < end) {
      const c = message.charCodeAt(j);
      if (c === 32 || c === 9 || c === 13) break;
      j++;
    }
    const word = normalizeWord(message.slice(i, j));
    const previous = words.length > 0 ? words[words.length - 1] : undefined;
    // "5 sec", "12 ms", "3 KB": a unit after a number is part of the value.
    if (!(previous === WILDCARD && UNITS.has(word))) words.push(word);
    i = j;
  }
  return words;
}

/** The index after the group that opens at `start` (nesting counted), or 0 if it does not close. */
function skipGroup(message: string, start: number, end: number, open: string, close: string): number {
  let depth = 0;
  for (let k = start; k < end; k++) {
    const c = message[k];
    if (open !== close && c === open) depth++;
    else if (c === close) {
      if (open === close) {
        if (k > start) return closesWord(message, k + 1, end) ? k + 1 : 0;
        continue;
      }
      depth--;
      if (depth === 0) return k + 1;
    }
  }
  return 0;
}

/** A closing quote counts only at the end of a word ("don't" holds no quoted part). */
function closesWord(message: string, at: number, end: number): boolean {
  if (at >= end) return true;
  const c = message[at]!;
  return (
    c === ' ' || c === '\t' || c === ',' || c === '.' || c === ';' || c === ':' || c === ')' || c === ']'
  );
}

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
/** Characters that separate the parts of a word: : = , / @ ( ) . _ - # [ ] ; + */
const SPLIT_TABLE = new Uint8Array(128);
for (const c of ':=,/@()._-#[];+') SPLIT_TABLE[c.charCodeAt(0)] = 1;
const isSplitCode = (c: number): boolean => c < 128 && SPLIT_TABLE[c] === 1;

/** WILDCARD for the parts of a word that hold a digit. */
function normalizeWord(word: string): string {
  let hasDigit = false;
  for (let k = 0; k < word.length; k++) {
    if (isDigitCode(word.charCodeAt(k))) {
      hasDigit = true;
      break;
    }
  }
  if (!hasDigit) return DATE_WORDS.has(word) ? WILDCARD : word;
  let out = '';
  let partStart = 0;
  let partHasDigit = false;
  for (let k = 0; k <= word.length; k++) {
    const c = k < word.length ? word.charCodeAt(k) : -1;
    // A sign before a number belongs to it ("-12" and "12" are the same value).
    const isSign = (c === 45 || c === 43) && k === partStart && isDigitCode(word.charCodeAt(k + 1));
    if (c === -1 || (isSplitCode(c) && !isSign)) {
      if (k > partStart) {
        if (!partHasDigit) out += word.slice(partStart, k);
        else if (!isDigitCode(word.charCodeAt(partStart)) || !endsWithWildcardRun(out)) out += WILDCARD;
        // else: "10.0.0.1", "03:55:21" — numbers joined by separators are one value
        else out = out.slice(0, out.lastIndexOf(WILDCARD) + WILDCARD.length);
      }
      if (c !== -1) out += word[k];
      partStart = k + 1;
      partHasDigit = false;
    } else if (isDigitCode(c)) partHasDigit = true;
  }
  return isOnlyWildcards(out) ? WILDCARD : out;
}

/** Whether `out` ends with a wildcard followed only by separators ("x=<*>." but not "x.<*>y."). */
function endsWithWildcardRun(out: string): boolean {
  const at = out.lastIndexOf(WILDCARD);
  if (at < 0) return false;
  for (let k = at + WILDCARD.length; k < out.length; k++) if (!isSplitCode(out.charCodeAt(k))) return false;
  return true;
}

/** `<*>:<*>:<*>`, `<*>/<*>`: a value made of several numbers is one value. */
function isOnlyWildcards(word: string): boolean {
  if (word === WILDCARD) return true;
  let k = 0;
  while (k < word.length) {
    if (word.startsWith(WILDCARD, k)) k += WILDCARD.length;
    else if (isSplitCode(word.charCodeAt(k))) k++;
    else return false;
  }
  return true;
}
