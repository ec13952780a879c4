/**
 * Container logs, the composition of this folder: which sources each container has, a pipeline
 * per source, a poll loop over the tailers, and the records' way to the server.
 *
 * ```
 * sync(containers)   (each agent interval, after the registry's scan)
 *   docker     ─► LogPath from Docker (json-file)              source "stdout/stderr"
 *   k8s (CRI)  ─► /var/log/pods/<ns>_<pod>_<uid>/<c>/<n>.log   source "stdout/stderr"
 *   systemd    ─► journald entries of its unit                 source "journald"
 *   any        ─► /var/log files its processes hold open for writing   source = the path
 * every pollIntervalMs: each tailer ─► its LogPipeline ─► counters + OtlpLogShipper
 * every second:       quiet multi-line messages completed, buffered records flushed to the spool
 * ```
 *
 * Sources of containers that are gone are flushed and closed; their counters are forgotten.
 */
import type { MetricFamily } from '@vigil/agent-kit';
import { silentLogger, type Logger } from '@vigil/core';
import { levelFromJournaldPriority, PatternClusterer } from '@vigil/logs';
import type { OutgoingLogRecord } from '@vigil/protocols';
import type { DockerDiscovery } from '../docker/docker-discovery.ts';
import { DEFAULT_PODS_LOG_DIR, findCriLogFiles } from './discovery/cri-log-dirs.ts';
import { containerLogFiles } from './discovery/container-log-files.ts';
import { OpenLogFilesCache } from './discovery/open-log-files.ts';
import { journaldUnavailable, type JournaldLocations } from './discovery/journald-availability.ts';
import type { LogContainer } from './discovery/log-container.ts';
import { LogCounters } from './pipeline/log-counters.ts';
import { LogPipeline } from './pipeline/log-pipeline.ts';
import { JournaldFollower, type JournalEntry } from './sources/journald-follower.ts';
import { TailedSource } from './sources/tailed-source.ts';

export interface LogCollectorOptions {
  /** Receives every record (the shipper); undefined: metrics only. */
  readonly onRecord?: (containerId: string, record: OutgoingLogRecord) => void;
  readonly docker?: Pick<DockerDiscovery, 'lookup' | 'resolve'>;
  /** false: do not follow journald. Default true (when journald runs). */
  readonly journald?: boolean;
  /** Where journald is looked for (default: `journalctl` on the PATH, the standard places). */
  readonly journaldLocations?: JournaldLocations;
  readonly procRoot?: string;
  readonly podsLogDir?: string;
  /**
   * How long which /var/log files a process holds open is remembered before its fds are walked
   * again (default 30 s); a new process is walked at once.
   */
  readonly openFilesRefreshMs?: number;
  /** How often tailers read their files (default 1 s). */
  readonly pollIntervalMs?: number;
  /** Patterns kept per container (default 256; then messages count under the overflow pattern). */
  readonly maxPatternsPerContainer?: number;
  readonly logger?: Logger;
}

export interface LogCollectorStatus {
  readonly sources: number;
  readonly journald: 'following' | 'off';
  readonly journaldUnavailable?: string;
}

interface ContainerLogs {
  appId: string;
  readonly clusterer: PatternClusterer;
  readonly samples: Map<string, string>;
  /** source key → the tailed file (journald has no entry here). */
  readonly tailed: Map<string, TailedSource>;
  journald: LogPipeline | undefined;
}

export const DEFAULT_MAX_PATTERNS_PER_CONTAINER = 256;

export class LogCollector {
  readonly counters = new LogCounters();
  private readonly containers = new Map<string, ContainerLogs>();
  /** systemd unit or slice name (the last part of the container id) → container id. */
  private journaldNames = new Map<string, string>();
  private readonly logger: Logger;
  private readonly procRoot: string;
  private readonly openFiles: OpenLogFilesCache;
  private journald: JournaldFollower | undefined;
  private journaldReason: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastTickMs = 0;
  private syncing: Promise<void> | undefined;
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly options: LogCollectorOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.procRoot = options.procRoot ?? '/proc';
    this.openFiles = new OpenLogFilesCache(options.openFilesRefreshMs);
  }

  /** Starts journald following (when it runs here) and the poll loop. */
  async start(): Promise<void> {
    if (this.options.journald === false) this.journaldReason = 'disabled by configuration';
    else this.journaldReason = await journaldUnavailable(this.options.journaldLocations);
    if (this.journaldReason === undefined) {
      this.journald = new JournaldFollower({
        logger: this.logger,
        onEntry: (e) => this.onJournalEntry(e),
        ...(this.options.journaldLocations?.journalctl === undefined
          ? {}
          : { journalctl: this.options.journaldLocations.journalctl }),
      });
      this.journald.start();
    } else {
      this.logger.info({ reason: this.journaldReason }, 'journald logs are not followed');
    }
    this.timer = setInterval(
      () => void this.pollOnce().catch(() => undefined),
      this.options.pollIntervalMs ?? 1000,
    );
  }

  status(): LogCollectorStatus {
    let sources = 0;
    for (const c of this.containers.values()) sources += c.tailed.size + (c.journald === undefined ? 0 : 1);
    return {
      sources,
      journald: this.journald === undefined ? 'off' : 'following',
      ...(this.journaldReason === undefined ? {} : { journaldUnavailable: this.journaldReason }),
    };
  }

  /** Brings the sources in line with the containers present now. Concurrent calls share one run. */
  sync(containers: readonly LogContainer[]): Promise<void> {
    this.syncing ??= this.exclusive(() => this.syncNow(containers)).finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  /** Reads every source once and completes quiet messages (the timer does the same). */
  pollOnce(): Promise<void> {
    this.polling ??= this.exclusive(() => this.pollNow()).finally(() => (this.polling = undefined));
    return this.polling;
  }

  /** Sync and poll take turns: a source must not be closed while it is being read. */
  private exclusive(run: () => Promise<void>): Promise<void> {
    const next = this.turn.then(run, run);
    this.turn = next.catch((err: unknown) =>
      this.logger.error({ err: (err as Error).message }, 'log collection failed'),
    );
    return next;
  }

  /** The sources followed now: container id, `source` label and the file read ('' for journald). */
  sources(): Array<{ containerId: string; source: string; path: string }> {
    const out: Array<{ containerId: string; source: string; path: string }> = [];
    for (const [containerId, logs] of this.containers) {
      for (const source of logs.tailed.values()) {
        out.push({ containerId, source: source.pipeline.target.source, path: source.path });
      }
      if (logs.journald !== undefined) out.push({ containerId, source: 'journald', path: '' });
    }
    return out;
  }

  families(labelsOf: (containerId: string) => Readonly<Record<string, string>>): MetricFamily[] {
    return this.counters.families(labelsOf);
  }

  /** The app id of a container whose logs are read (for the records' resource). */
  appIdOf(containerId: string): string {
    return this.containers.get(containerId)?.appId ?? containerId;
  }

  /** Stops polling and journald; what is buffered in the pipelines is completed. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.syncing?.catch(() => undefined);
    await this.pollOnce().catch(() => undefined);
    await this.journald?.stop();
    await this.exclusive(async () => {
      for (const id of [...this.containers.keys()]) await this.drop(id);
    });
  }

  private async syncNow(containers: readonly LogContainer[]): Promise<void> {
    const present = new Set<string>();
    const journaldNames = new Map<string, string>();
    const cri = containers.some((c) => c.id.startsWith('/k8s/'))
      ? await findCriLogFiles(this.options.podsLogDir ?? DEFAULT_PODS_LOG_DIR)
      : new Map<string, string>();
    this.openFiles.retain(new Set(containers.flatMap((c) => c.pids)));
    for (const container of containers) {
      present.add(container.id);
      const logs = this.containerLogs(container);
      const { files, runtimeKnown } = await containerLogFiles(container, {
        cri,
        docker: this.options.docker,
        procRoot: this.procRoot,
        openFiles: this.openFiles,
      });
      const wanted = new Map(files.map((f) => [f.key, f]));
      for (const [key, source] of logs.tailed) {
        if (wanted.has(key)) continue;
        // A runtime log replaced (a new CRI run, a new Docker container under the name): close the old.
        if (key.startsWith('runtime:') && runtimeKnown) await this.closeSource(logs, key, source);
      }
      for (const [key, want] of wanted) {
        if (logs.tailed.has(key)) continue;
        const pipeline = this.pipeline(
          container.id,
          logs,
          want.source,
          want.format === 'plain' ? want.source : '',
        );
        const source = new TailedSource(want.path, want.format, pipeline);
        // Opened now, so "from the end" means from when it was found, not from the next poll.
        await source.poll();
        logs.tailed.set(key, source);
        this.logger.info(
          { container: container.id, path: want.path, source: want.source },
          'following a log',
        );
      }
      if (container.kind === 'systemd' && this.journald !== undefined) {
        journaldNames.set(container.id.slice(container.id.lastIndexOf('/') + 1), container.id);
        logs.journald ??= this.pipeline(container.id, logs, 'journald', '');
      }
    }
    this.journaldNames = journaldNames;
    for (const id of [...this.containers.keys()]) if (!present.has(id)) await this.drop(id);
  }

  private containerLogs(container: LogContainer): ContainerLogs {
    let logs = this.containers.get(container.id);
    if (logs === undefined) {
      logs = {
        appId: container.appId,
        clusterer: new PatternClusterer({
          maxPatterns: this.options.maxPatternsPerContainer ?? DEFAULT_MAX_PATTERNS_PER_CONTAINER,
        }),
        samples: new Map(),
        tailed: new Map(),
        journald: undefined,
      };
      this.containers.set(container.id, logs);
    }
    logs.appId = container.appId;
    return logs;
  }

  private pipeline(containerId: string, logs: ContainerLogs, source: string, filePath: string): LogPipeline {
    return new LogPipeline(
      { containerId, source, ...(filePath === '' ? {} : { attributes: { 'log.file.path': filePath } }) },
      {
        counters: this.counters,
        clusterer: logs.clusterer,
        samples: logs.samples,
        onRecord: this.options.onRecord ?? (() => undefined),
      },
    );
  }

  private onJournalEntry(entry: JournalEntry): void {
    // Container ids spell units unescaped (`\x2d` as '-'); a unit in a sub-slice belongs to the slice.
    const id =
      this.journaldNames.get(entry.unit.replaceAll('\\x2d', '-')) ??
      this.journaldNames.get(entry.slice.replaceAll('\\x2d', '-'));
    const logs = id === undefined ? undefined : this.containers.get(id);
    if (logs?.journald === undefined) return;
    const level = entry.priority === undefined ? undefined : levelFromJournaldPriority(entry.priority);
    logs.journald.pushMessage(entry.message, entry.timestampMs, level);
  }

  private async pollNow(): Promise<void> {
    for (const logs of this.containers.values()) {
      for (const source of logs.tailed.values()) await source.poll();
    }
    const nowMs = Date.now();
    if (nowMs - this.lastTickMs < 1000) return;
    this.lastTickMs = nowMs;
    for (const logs of this.containers.values()) {
      for (const source of logs.tailed.values()) source.pipeline.tick();
      logs.journald?.tick();
    }
  }

  private async closeSource(logs: ContainerLogs, key: string, source: TailedSource): Promise<void> {
    await source.poll();
    source.pipeline.flush();
    await source.close();
    logs.tailed.delete(key);
  }

  private async drop(containerId: string): Promise<void> {
    const logs = this.containers.get(containerId);
    if (logs === undefined) return;
    for (const [key, source] of [...logs.tailed]) await this.closeSource(logs, key, source);
    logs.journald?.flush();
    this.containers.delete(containerId);
    this.counters.forget(containerId);
  }
}
