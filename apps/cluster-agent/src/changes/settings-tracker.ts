/**
 * Keeps a server's settings (name → value as shown to people, e.g. `4096 kB`) from one round to
 * the next and turns the differences into changes. The first round is the baseline. Collectors
 * leave out what changes by itself (their own session's settings, GTID positions).
 */
import type { DatabaseChange } from './database-change.ts';

function settingChange(
  name: string,
  before: string | undefined,
  after: string | undefined,
  timeMs: number,
): DatabaseChange {
  const action = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  const summary =
    action === 'changed'
      ? `${name}: ${before ?? ''} → ${after ?? ''}`
      : action === 'added'
        ? `${name} appeared: ${after ?? ''}`
        : `${name} went away (was ${before ?? ''})`;
  return {
    timeMs,
    kind: 'setting',
    action,
    object: `setting ${name}`,
    objectName: name,
    summary,
    ...(before === undefined ? {} : { before }),
    ...(after === undefined ? {} : { after }),
  };
}

export class SettingsTracker {
  #previous: ReadonlyMap<string, string> | undefined;

  /** The settings now; the changes since the previous call (none on the first). */
  update(current: ReadonlyMap<string, string>, timeMs: number): DatabaseChange[] {
    const before = this.#previous;
    this.#previous = current;
    if (before === undefined) return [];
    const out: DatabaseChange[] = [];
    for (const [name, was] of before) {
      const now = current.get(name);
      if (now !== was) out.push(settingChange(name, was, now, timeMs));
    }
    for (const [name, now] of current)
      if (!before.has(name)) out.push(settingChange(name, undefined, now, timeMs));
    return out;
  }
}
