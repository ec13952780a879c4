/**
 * Reads one key of the profiler's map dump, as bpftrace's JSON output writes it: the pid, the
 * user stack and (when taken) the kernel stack, joined by commas, each frame on its own line,
 * leaf first:
 *
 * ```
 * "8298,\n\t7f1ec2577f16 0x7f1ec2577f16 ([unknown])\n,\n\tffffffff821f94c3 schedule+35\n"
 *  pid   user frames (addresses only: BPFTRACE_NO_USER_SYMBOLS)  kernel frames (named)
 * "77,,\n\tffffffff816a40c8 damon_update_region_access_rate+8\n"   no user stack
 * "8298,\n\t7f1ec257d67f 0x7f1ec257d67f ([unknown])\n,"           no kernel stack
 * ```
 *
 * The parser walks the string once and writes into a reused {@link ParsedStack}: user addresses
 * as numbers (user space ends below 2^47, exact in a double), kernel addresses with their top 12
 * bits dropped (all ones in kernel space) so they fit too, and the kernel frame's name as
 * bpftrace printed it without the `+offset`.
 */

/** The deepest stack kept of either kind (perf's own limit is 127). */
export const MAX_FRAMES = 128;

export interface ParsedStack {
  pid: number;
  userCount: number;
  readonly user: Float64Array;
  kernelCount: number;
  /** Kernel addresses without their top 12 bits (see {@link kernelAddressKey}). */
  readonly kernel: Float64Array;
  /** bpftrace's name of each kernel frame ('' where it printed none). */
  readonly kernelNames: string[];
}

export function newParsedStack(): ParsedStack {
  return {
    pid: 0,
    userCount: 0,
    user: new Float64Array(MAX_FRAMES),
    kernelCount: 0,
    kernel: new Float64Array(MAX_FRAMES),
    kernelNames: [],
  };
}

const TAB = 9;
const NEWLINE = 10;
const COMMA = 44;
const SPACE = 32;
const PLUS = 43;

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses `key` into `out`; false when it is not a stack key (then `out` is unspecified).
 * Addresses of more than 52 significant bits keep their low 52 (kernel addresses).
 */
export function parseStackKey(key: string, out: ParsedStack): boolean {
  let i = 0;
  let pid = 0;
  const n = key.length;
  while (i < n) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) break;
    pid = pid * 10 + (c - 48);
    i++;
  }
  if (i === 0 || key.charCodeAt(i) !== COMMA) return false;
  i++;
  out.pid = pid;
  out.userCount = 0;
  out.kernelCount = 0;
  out.kernelNames.length = 0;
  let kernel = false;
  while (i < n) {
    const c = key.charCodeAt(i);
    if (c === COMMA) {
      kernel = true;
      i++;
      continue;
    }
    if (c === NEWLINE) {
      i++;
      continue;
    }
    if (c !== TAB) return false;
    i++;
    // The address: hex digits up to a space (or the end of the line).
    let hi = 0;
    let lo = 0;
    let digits = 0;
    for (; i < n; i++) {
      const d = hexDigit(key.charCodeAt(i));
      if (d < 0) break;
      // Keep 52 bits: 5 hex digits above 32 bits of low part.
      hi = ((hi * 16) & 0xfffff) + Math.floor(lo / 0x10000000);
      lo = (lo % 0x10000000) * 16 + d;
      digits++;
    }
    if (digits === 0) return false;
    const address = hi * 0x100000000 + lo;
    let lineEnd = key.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = n;
    if (!kernel) {
      if (out.userCount < MAX_FRAMES) out.user[out.userCount++] = address;
    } else if (out.kernelCount < MAX_FRAMES) {
      out.kernel[out.kernelCount] = address;
      out.kernelNames[out.kernelCount++] = kernelName(key, i, lineEnd);
    }
    i = lineEnd;
  }
  return true;
}

/** `name` of `\t<addr> name+off`; '' when bpftrace printed only the address or `[unknown]`. */
function kernelName(key: string, from: number, lineEnd: number): string {
  if (from >= lineEnd || key.charCodeAt(from) !== SPACE) return '';
  const start = from + 1;
  let end = lineEnd;
  for (let j = lineEnd - 1; j > start; j--) {
    if (key.charCodeAt(j) === PLUS) {
      end = j;
      break;
    }
  }
  if (end <= start) return '';
  const name = key.slice(start, end);
  return name.startsWith('0x') || name === '[unknown]' ? '' : name;
}

/** A kernel address as {@link parseStackKey} keeps it: the low 52 bits, as a number. */
export function kernelAddressKey(hex: string): number {
  const digits = hex.replace(/^0x/i, '');
  const low = digits.length > 13 ? digits.slice(-13) : digits;
  return parseInt(low, 16);
}
