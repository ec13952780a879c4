/** Log levels as OpenTelemetry severity numbers (logs data model: INFO = 9, WARN = 13, …). */
import type { LogLevel } from '@vigil/logs';

const SEVERITY_NUMBER: Record<LogLevel, number> = {
  critical: 21, // FATAL
  error: 17,
  warning: 13,
  info: 9,
  debug: 5,
  unknown: 0, // UNSPECIFIED
};

export function severityNumberOf(level: LogLevel): number {
  return SEVERITY_NUMBER[level];
}
