/**
 * Links from an application to its logs, traces and profiles. Those pages filter by OTel
 * `service.name` (`?service=`, see components/loglist/log-filters.ts, pages/traces/
 * trace-search-params.ts, pages/profiles/profile-selection.ts). Vigil's node agent names a
 * container's spans, logs and profiles by its application id (`/k8s/shop/api`); an app
 * instrumented with an OTel SDK usually names itself (`api`). So the link takes whichever of the
 * two the server has seen telemetry from, and the application id when it has seen neither.
 */
import type { ServiceSeen } from '@vigil/spec';

export interface TelemetryService {
  readonly service: string;
  /** Signals the server saw from that service in the range (profiles are not listed by it). */
  readonly signals: ReadonlySet<'traces' | 'logs'>;
}

/** The `service.name` this application's telemetry goes by. */
export function telemetryService(
  app: { readonly id: string; readonly name: string },
  services: readonly ServiceSeen[],
): TelemetryService {
  for (const candidate of [app.id, app.name]) {
    const seen = services.find((s) => s.name === candidate);
    if (seen) return { service: candidate, signals: new Set(seen.signals) };
  }
  return { service: app.id, signals: new Set() };
}

export interface TelemetryLinks {
  readonly logs: string;
  readonly traces: string;
  readonly profiles: string;
}

/** The three pages filtered to `service`, over the range as written in the URL (`now-1h`). */
export function telemetryLinks(
  service: string,
  range: { readonly from: string; readonly to: string },
): TelemetryLinks {
  const query = new URLSearchParams({ service, from: range.from, to: range.to }).toString();
  return { logs: `/logs?${query}`, traces: `/traces?${query}`, profiles: `/profiles?${query}` };
}
