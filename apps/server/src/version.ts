import { readFileSync } from 'node:fs';

/** Vigil's version, from the root package.json (the one place it is set). */
export const VIGIL_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
