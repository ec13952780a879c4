import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { formatListenAddress, type ListenAddress } from './listen-address.ts';
import { SERVER_SETTINGS, type ServerConfig, type SettingSpec } from './settings.ts';

/** Start-up configuration failed; `problems` lists every one of them. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ConfigSources {
  /** Command-line arguments after the sub-command, e.g. ['--listen', ':9090']. */
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
}

/** Splits `--name value` and `--name=value` pairs; everything else is a problem. */
function parseFlags(argv: readonly string[], problems: string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) {
      problems.push(`unexpected argument "${arg}": flags look like --name value`);
      continue;
    }
    const name = m[1] ?? '';
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`flag --${name} needs a value`);
        continue;
      }
      value = next;
      i++;
    }
    flags.set(name, value);
  }
  return flags;
}

function readYaml(path: string, problems: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    problems.push(`config file ${path}: ${(e as Error).message}`);
    return {};
  }
  try {
    const doc: unknown = parseYaml(text);
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      problems.push(`config file ${path}: expected a mapping of settings at the top level`);
      return {};
    }
    return doc as Record<string, unknown>;
  } catch (e) {
    problems.push(`config file ${path}: ${(e as Error).message}`);
    return {};
  }
}

/**
 * Builds the server configuration from flags > VIGIL_* environment (and Coroot's names as
 * aliases) > optional YAML file (`--config` / VIGIL_CONFIG) > defaults. Every problem is collected
 * and thrown together in one ConfigError so a user fixes them in one go.
 */
export function loadServerConfig(sources: ConfigSources): ServerConfig {
  const problems: string[] = [];
  const flags = parseFlags(sources.argv, problems);
  const configPath = flags.get('config') ?? sources.env.VIGIL_CONFIG;
  flags.delete('config');
  const yaml = configPath ? readYaml(configPath, problems) : {};

  const settings: readonly SettingSpec[] = SERVER_SETTINGS as unknown as readonly SettingSpec[];
  const known = new Set(settings.map((s) => s.flag));
  for (const name of flags.keys()) {
    if (!known.has(name)) problems.push(`unknown flag --${name}`);
  }
  const knownYaml = new Set(settings.map((s) => s.yaml));
  for (const key of Object.keys(yaml)) {
    if (!knownYaml.has(key)) problems.push(`config file ${configPath}: unknown setting "${key}"`);
  }

  const out: Record<string, unknown> = {};
  for (const s of settings) {
    let raw: string | undefined;
    let origin = '';
    const flag = flags.get(s.flag);
    if (flag !== undefined) {
      raw = flag;
      origin = `--${s.flag}`;
    } else {
      const envName = s.env.find((n) => sources.env[n] !== undefined && sources.env[n] !== '');
      if (envName) {
        raw = sources.env[envName];
        origin = envName;
      } else if (yaml[s.yaml] !== undefined && yaml[s.yaml] !== null) {
        raw = String(yaml[s.yaml]);
        origin = `${configPath}: ${s.yaml}`;
      }
    }
    if (raw === undefined) {
      out[s.key] = s.default;
      continue;
    }
    const parsed = s.parse(raw);
    if (parsed !== null && typeof parsed === 'object' && 'error' in parsed) {
      problems.push(`${origin}: ${parsed.error}`);
    } else {
      out[s.key] = parsed;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as unknown as ServerConfig;
}

/** Help text listing every setting, its flag, environment variable and default. */
export function describeSettings(): string {
  return SERVER_SETTINGS.map((s) => {
    const value = s.default;
    const shown =
      typeof value === 'object' && value !== null && 'port' in value && 'host' in value
        ? formatListenAddress(value as ListenAddress)
        : JSON.stringify(value);
    const def = value === undefined ? '' : ` (default ${shown})`;
    return `  --${s.flag.padEnd(24)} ${s.env[0]?.padEnd(28)} ${s.description}${def}`;
  }).join('\n');
}
