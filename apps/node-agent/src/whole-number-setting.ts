/**
 * A whole-number setting from the environment, `min` to `max`: undefined when unset or blank
 * (the caller's default applies), else the number, or an error naming the setting and the range.
 */
export function readWholeNumberSetting(
  name: string,
  raw: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  return n;
}
