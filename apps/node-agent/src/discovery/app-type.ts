/**
 * The kind of application a process is, from its command line (or executable), with the values
 * Coroot reports in `container_application_type{application_type}` and its server uses to pick
 * database targets: `postgres`, `mysql` (mysqld and mariadbd), `redis`, `memcached`, `mongodb`,
 * `rabbitmq`, `nats`, `nginx`, `java`, `python`, `nodejs`, …
 *
 * Decided in this order: the command's base name (argv[0] up to a space or ':', since Postgres
 * renames its backends `postgres: …`); then markers in the whole command line (JVM main classes,
 * Erlang's RabbitMQ node); then the interpreter of scripting languages, by name or executable.
 */

/** argv[0] base names, exact. */
const BY_COMMAND: ReadonlyMap<string, string> = new Map([
  ['postgres', 'postgres'],
  ['postmaster', 'postgres'],
  ['pgbouncer', 'pgbouncer'],
  ['mysqld', 'mysql'],
  ['mariadbd', 'mysql'],
  ['mongod', 'mongodb'],
  ['mongos', 'mongos'],
  ['redis-server', 'redis'],
  ['redis-sentinel', 'redis-sentinel'],
  ['keydb-server', 'keydb'],
  ['valkey-server', 'valkey'],
  ['dragonfly', 'dragonfly'],
  ['memcached', 'memcached'],
  ['clickhouse-server', 'clickhouse'],
  ['nats-server', 'nats'],
  ['mosquitto', 'mosquitto'],
  ['nginx', 'nginx'],
  ['envoy', 'envoy'],
  ['haproxy', 'haproxy'],
  ['httpd', 'httpd'],
  ['traefik', 'traefik'],
  ['etcd', 'etcd'],
  ['consul', 'consul'],
  ['vault', 'vault'],
  ['prometheus', 'prometheus'],
  ['victoria-metrics', 'victoria-metrics'],
  ['influxd', 'influxdb'],
  ['proxysql', 'proxysql'],
  ['cockroach', 'cockroach'],
  ['dockerd', 'dockerd'],
  ['containerd', 'containerd'],
  ['kubelet', 'kubelet'],
  ['kube-apiserver', 'kube-apiserver'],
  ['java', 'java'],
]);

/** Markers anywhere in the command line (checked before the command's own name). */
const BY_MARKER: ReadonlyArray<readonly [marker: string, type: string]> = [
  ['org.elasticsearch.bootstrap', 'elasticsearch'],
  ['org.opensearch.bootstrap', 'opensearch'],
  ['kafka.Kafka', 'kafka'],
  ['org.apache.zookeeper.server.quorum.QuorumPeerMain', 'zookeeper'],
  ['org.apache.cassandra.service.CassandraDaemon', 'cassandra'],
  ['org.apache.catalina.startup.Bootstrap', 'tomcat'],
];

/** Interpreters, by base name with an optional version (`python3.11`, `node20`). */
const INTERPRETERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^python\d*(\.\d+)?$/, 'python'],
  [/^node(js)?\d*(\.\d+)?$/, 'nodejs'],
  [/^php(-fpm)?\d*(\.\d+)?$/, 'php'],
  [/^ruby\d*(\.\d+)?$/, 'ruby'],
];

/**
 * The application type of a process, or undefined when nothing says. `cmdline` is argv as
 * `/proc/<pid>/cmdline` gives it (NUL-separated, split); `exe` the target of `/proc/<pid>/exe`
 * when readable.
 */
export function detectAppType(cmdline: readonly string[], exe?: string): string | undefined {
  const command = commandName(cmdline[0] ?? '');
  const whole = cmdline.join(' ');
  for (const [marker, type] of BY_MARKER) if (whole.includes(marker)) return type;
  if (command === 'beam.smp') {
    if (whole.includes('rabbit')) return 'rabbitmq';
    if (whole.includes('couch')) return 'couchbase';
  }
  const known = BY_COMMAND.get(command);
  if (known !== undefined) return known;
  const exeName = exe === undefined ? '' : baseName(exe.replace(/ \(deleted\)$/, ''));
  for (const [pattern, type] of INTERPRETERS) if (pattern.test(command) || pattern.test(exeName)) return type;
  return BY_COMMAND.get(exeName);
}

/** argv[0]'s base name, cut at the first space or ':' (`postgres: checkpointer` → postgres). */
export function commandName(argv0: string): string {
  const first = argv0.split(/[ :]/, 1)[0] ?? '';
  return baseName(first);
}

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}
