/**
 * The rules that say whether a line continues the message before it (and is not a message of
 * its own). See MultilineAssembler for the state they read.
 */

/**
 * Where a Python traceback being assembled stands: in its frames (indented), past its exception
 * line, or after a "During handling of the above exception" line that announces another one.
 */
export type TracebackState = 'none' | 'frames' | 'exception' | 'chained';

export const PYTHON_TRACEBACK_HEADER = 'Traceback (most recent call last):';
const PYTHON_CHAINED_HEADERS = [
  'During handling of the above exception, another exception occurred:',
  'The above exception was the direct cause of the following exception:',
];

/** `java.lang.IllegalStateException: boom`, `Exception in thread "main" …`, `org.x.FooError`. */
const JAVA_EXCEPTION_HEADER =
  /^(?:Exception in thread "|(?:[A-Za-z_$][\w$]*\.)+[\w$]*(?:Exception|Error|Throwable)(?::|$))/;

/** The line is indented (Java's "\tat …", a Python frame, any continuation by indentation). */
export function isIndented(line: string): boolean {
  const first = line.charCodeAt(0);
  return first === 32 || first === 9;
}

export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

/** Lines that by their own text can only continue a Java stack trace. */
export function isJavaTraceLine(line: string): boolean {
  return (
    line.startsWith('Caused by: ') ||
    line.startsWith('Suppressed: ') ||
    (line.startsWith('... ') && line.endsWith(' more')) ||
    line.startsWith('at ')
  );
}

export function isJavaExceptionHeader(line: string): boolean {
  return JAVA_EXCEPTION_HEADER.test(line);
}

export function isPythonChainedHeader(line: string): boolean {
  return PYTHON_CHAINED_HEADERS.includes(line);
}

/** A structured log line (`{…}`): a message of its own even among timestamped text lines. */
export function isJsonObjectLine(line: string): boolean {
  return line.charCodeAt(0) === 123 && line.trimEnd().endsWith('}');
}
