/**
 * The Loghub 2k samples (/work/shared/data/loghub, real logs of eight systems) replicated into
 * log records at any volume: the lines in their original order, over and over, one record per
 * line, with increasing timestamps spread over the range. Each line keeps its text except the
 * time at its head, which is rewritten to the record's own time in the file's format, as the
 * system would have written it (`retime: false` keeps the text byte for byte; then every copy
 * repeats the sample exactly, which flatters any compressor). Severity comes from the sample's
 * parsed `Level` column where the system has one, as a collector's severity parser would set it.
 * Loghub: https://github.com/logpai/loghub (see the LICENSE beside the data).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LogRecord } from '@vigil/protocols';
import { splitCsvLine } from '@vigil/logs/testing';

export const LOGHUB_DIR = process.env.VIGIL_LOGHUB_DIR ?? '/work/shared/data/loghub';

export interface LoghubSample {
  name: string;
  lines: string[];
  /** Level per line from the structured CSV ('' when the system logs none). */
  levels: string[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** Each system's time header and how to write a time in it (UTC). */
const TIME_FORMATS: ReadonlyArray<[RegExp, (d: Date) => string]> = [
  [
    /^\[\w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} \d{4}\]/,
    (d) =>
      `[${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${hms(d, ':')} ${d.getUTCFullYear()}]`,
  ], // Apache
  [/^\d{6} \d{6}/, (d) => `${ymd(d).slice(2).replace(/-/g, '')} ${hms(d, '')}`], // HDFS
  [
    /^\d{8}-\d{1,2}:\d{1,2}:\d{1,2}:\d{1,3}/,
    (d) => `${ymd(d).replace(/-/g, '')}-${hms(d, ':')}:${d.getUTCMilliseconds()}`,
  ], // HealthApp
  [
    /^\w{3} [ \d]\d \d{2}:\d{2}:\d{2}/,
    (d) => `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${hms(d, ':')}`,
  ], // Linux, OpenSSH
  [
    /^\[\d{2}\.\d{2} \d{2}:\d{2}:\d{2}\]/,
    (d) => `[${p2(d.getUTCMonth() + 1)}.${p2(d.getUTCDate())} ${hms(d, ':')}]`,
  ], // Proxifier
  [/^\d{2}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}/, (d) => `${ymd(d).slice(2).replace(/-/g, '/')} ${hms(d, ':')}`], // Spark
  [
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}/,
    (d) => `${ymd(d)} ${hms(d, ':')},${String(d.getUTCMilliseconds()).padStart(3, '0')}`,
  ], // Zookeeper
];
function ymd(d: Date): string {
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())}`;
}
function hms(d: Date, sep: string): string {
  return [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map(p2).join(sep);
}

/** OTel severity numbers for the level words the samples use. */
const SEVERITY: Readonly<Record<string, number>> = {
  debug: 5,
  info: 9,
  notice: 10,
  warn: 13,
  warning: 13,
  error: 17,
  fatal: 21,
};

export function readLoghubSamples(dir = LOGHUB_DIR): LoghubSample[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('_2k.log'))
    .sort()
    .map((file) => {
      const lines = readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0);
      const csv = readFileSync(path.join(dir, `${file}_structured.csv`), 'utf8')
        .split('\n')
        .filter((l) => l.length > 0);
      const header = splitCsvLine(csv[0] ?? '');
      const levelAt = header.indexOf('Level');
      const levels = lines.map((_, i) => {
        const level = levelAt < 0 ? '' : (splitCsvLine(csv[i + 1] ?? '')[levelAt] ?? '').trim();
        return SEVERITY[level.toLowerCase()] === undefined ? '' : level;
      });
      return { name: file.replace(/_2k\.log$/, ''), lines, levels };
    });
}

/** `total` records of one sample over [startNs, startNs + rangeNs), in time order. */
export class LoghubSource {
  readonly #sample: LoghubSample;
  readonly #total: number;
  readonly #startNs: bigint;
  readonly #stepNs: number;
  readonly #retime: boolean;
  readonly #format: [RegExp, (d: Date) => string] | undefined;
  readonly #resource: Record<string, string>;
  readonly #attributes: Record<string, string>;
  #produced = 0;
  #seed = 0x9e3779b9;

  constructor(sample: LoghubSample, total: number, startNs: bigint, rangeNs: bigint, retime = true) {
    this.#sample = sample;
    this.#total = total;
    this.#startNs = startNs;
    this.#stepNs = Number(rangeNs) / total;
    this.#retime = retime;
    this.#format = TIME_FORMATS.find(([re]) => re.test(sample.lines[0] ?? ''));
    this.#resource = {
      'service.name': sample.name.toLowerCase(),
      'host.name': `${sample.name.toLowerCase()}-1`,
    };
    this.#attributes = { 'log.file.name': `${sample.name}.log` };
  }

  /** Whether the sample's time header is recognised (else lines keep their original time text). */
  get retimes(): boolean {
    return this.#retime && this.#format !== undefined;
  }

  next(n: number): LogRecord[] {
    const out: LogRecord[] = [];
    const end = Math.min(this.#total, this.#produced + n);
    for (; this.#produced < end; this.#produced++) {
      const i = this.#produced;
      const line = i % this.#sample.lines.length;
      // Jitter within the record's own slot keeps times increasing but irregular.
      this.#seed = (Math.imul(this.#seed, 1664525) + 1013904223) >>> 0;
      const timeNs = this.#startNs + BigInt(Math.floor((i + this.#seed / 2 ** 32) * this.#stepNs));
      let body = this.#sample.lines[line]!;
      if (this.retimes) {
        const [re, write] = this.#format!;
        body = body.replace(re, write(new Date(Number(timeNs / 1_000_000n))));
      }
      const level = this.#sample.levels[line] ?? '';
      out.push({
        timeUnixNano: timeNs,
        traceId: '',
        spanId: '',
        traceFlags: 0,
        severityText: level,
        severityNumber: SEVERITY[level.toLowerCase()] ?? 0,
        serviceName: this.#resource['service.name']!,
        body,
        resourceSchemaUrl: '',
        resourceAttributes: this.#resource,
        scopeSchemaUrl: '',
        scopeName: '',
        scopeVersion: '',
        scopeAttributes: {},
        attributes: this.#attributes,
        eventName: '',
      });
    }
    return out;
  }
}
