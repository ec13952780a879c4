/**
 * A Go process whose `/debug/pprof/*` endpoints the cluster agent scrapes: a pod annotated
 * `coroot.com/profile-scrape: "true"` + `coroot.com/profile-port` (or `pyroscope.io/scrape` +
 * `pyroscope.io/port`), one target per pod.
 */
export interface ProfileTarget {
  /** `http://<pod ip>:<port>`; the profile paths are appended. */
  readonly baseUrl: string;
  /** `/k8s/<namespace>/<workload>`: the profiles' `service.name`. */
  readonly serviceName: string;
  /** Labels sent with every profile of the target (`namespace`, `pod`, the pod's labels…). */
  readonly labels: Readonly<Record<string, string>>;
}

export interface ProfileTargetSource {
  /** The targets now (the latest the watch knows). */
  current(): readonly ProfileTarget[];
}
