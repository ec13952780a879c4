import type { RunningServer } from '@vigil/server';

function hostFor(host: string): string {
  if (host === '' || host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** What a new user needs after `npm start`: where to go, which key to send, how to log in. */
export function printBanner(server: RunningServer, allInOne: boolean, agentUrl?: string): void {
  const { config, ports, bootstrap: boot } = server;
  const api = `http://${hostFor(config.listen.host)}:${ports.api}`;
  const lines = [
    '',
    'Vigil is running.',
    `  UI and API:    ${api}`,
    `  OTLP gRPC:     ${hostFor(config.otlpGrpcListen.host)}:${ports.otlpGrpc}`,
    `  OTLP HTTP:     http://${hostFor(config.otlpHttpListen.host)}:${ports.otlpHttp}  (also ${api}/v1/traces, /v1/logs, /v1/metrics)`,
    `  Remote write:  ${api}/api/v1/write   PromQL: ${api}/api/v1/query (Prometheus API, for Grafana)`,
    `  API key:       ${boot.apiKey}   (send as the X-API-Key header)${boot.apiKeyFile ? `\n                 kept in ${boot.apiKeyFile}` : ''}`,
    boot.generatedAdminPassword
      ? `  Log in:        user "${boot.adminUsername}", password ${boot.generatedAdminPassword} (generated; kept in ${boot.adminPasswordFile})`
      : boot.adminPasswordFile
        ? `  Log in:        user "${boot.adminUsername}", password in ${boot.adminPasswordFile}`
        : `  Log in:        user "${boot.adminUsername}" with VIGIL_ADMIN_PASSWORD`,
    config.anonymousRole ? `  Anonymous:     visitors get the ${config.anonymousRole} role` : '',
    allInOne
      ? agentUrl === undefined
        ? '  Node agent:    off (VIGIL_NODE_AGENT=off)'
        : `  Node agent:    ${agentUrl}/metrics, pushing this machine's processes, containers and connections`
      : '',
    `  Data:          ${config.dataDir}   Storage: ${config.clickhouseUrl ? 'ClickHouse server' : 'embedded ClickHouse (chDB)'}` +
      (config.prometheusUrl ? `   Metrics: ${new URL(config.prometheusUrl).origin}` : ''),
    '',
    'Try: curl -s -X POST ' +
      api +
      '/api/v1/login -H "Content-Type: application/json" -d \'{"username":"admin","password":"…"}\'',
    'Stop with Ctrl+C.',
    '',
  ];
  process.stdout.write(lines.filter((l) => l !== '').join('\n') + '\n');
}
