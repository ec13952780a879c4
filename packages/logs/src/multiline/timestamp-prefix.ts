/**
 * Whether a line begins with a timestamp, in any of the shapes logging libraries and daemons
 * write at the head of a line. A stream whose messages start with one lets the assembler join
 * every line without one (an exception's class line, a traceback's last line) to the message
 * before it.
 */

const TIMESTAMP_PREFIXES: readonly RegExp[] = [
  /^\[?\d{4}[-/.]\d{2}[-/.]\d{2}[T ]\d{1,2}:\d{2}/, // ISO 8601, 2024/01/02 10:00
  /^\[?\d{2}[-/.]\d{2}[-/.]\d{2,4}[ ,T-]\d{1,2}:\d{2}/, // 17/06/09 20:10:40, 02-01-2024 10:00
  /^\[?\d{8}[ T-]?\d{1,2}:?\d{1,2}/, // 20171223-22:15:29, 20171224-0:0:0, 20240102T100000
  /^\[?\d{6} \d{6}/, // 081109 203615 (HDFS)
  /^\[?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? /, // [Sun Dec 04 04:47:44 2005], RFC 1123
  /^\[?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]?\d,? (?:\d{4} )?\d{1,2}:\d{2}/, // syslog
  /^\[?\d{1,2}[ /-](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ /-]\d{2,4}[ :]\d{1,2}:\d{2}/, // nginx, Apache access
  /^\[?\d{2}\.\d{2} \d{2}:\d{2}:\d{2}/, // [10.30 16:49:06] (Proxifier)
  /^\[?\d{1,2}:\d{2}:\d{2}[.,:]\d{1,6}\b/, // 10:00:00.123
  /^[IWEFD]\d{4} \d{2}:\d{2}:\d{2}/, // glog/klog
  /^\[?\d{10}(?:\.\d{1,9})?\]?\s/, // Unix seconds
  /^(?:time|ts|timestamp|t)=\S/, // logfmt
];

/** Whether the line starts with a timestamp (optionally inside '['). */
export function startsWithTimestamp(line: string): boolean {
  const first = line.charCodeAt(0);
  // Cheap rejection: every shape begins with a digit, '[', an upper-case letter or a logfmt key.
  const isDigit = first >= 48 && first <= 57;
  const isUpper = first >= 65 && first <= 90;
  if (!isDigit && !isUpper && first !== 91 && first !== 116) return false;
  for (const prefix of TIMESTAMP_PREFIXES) if (prefix.test(line)) return true;
  return false;
}
