/** The JSON of the model API the pages read (apps/server/src/model/views.ts). */

/** A check's or report's verdict. */
export type Status = 'ok' | 'warning' | 'critical' | 'unknown';

/** One report's cell in the overview: its status and the worst check's message. */
export interface ReportCell {
  readonly status: Status;
  readonly message: string;
}

/** A row of `GET /api/v1/overview/applications`. */
export interface ApplicationRow {
  readonly id: string;
  readonly name: string;
  readonly namespace?: string;
  readonly kind: string;
  readonly category: string;
  readonly types: readonly string[];
  readonly instances: number;
  readonly status: Status;
  readonly reports: Readonly<Record<string, ReportCell>>;
}

/** `GET /api/v1/overview/applications`. */
export interface ApplicationsOverview {
  readonly applications: readonly ApplicationRow[];
  /** Queries whose data did not arrive in time: the overview may be partial. */
  readonly incomplete: readonly string[];
}

/** A check inside a report of `GET /api/v1/apps/<appId>`. */
export interface CheckView {
  readonly id: string;
  readonly title: string;
  readonly status: Status;
  readonly message: string;
}

/** A report of `GET /api/v1/apps/<appId>` (charts are not read yet). */
export interface ReportView {
  readonly name: string;
  readonly status: Status;
  readonly checks: readonly CheckView[];
  readonly noData?: string;
}

/** An instance (container, process) of `GET /api/v1/apps/<appId>`. */
export interface InstanceView {
  readonly id: string;
  readonly node: string;
  readonly up: boolean;
}

/** `GET /api/v1/apps/<appId>`, the parts the app page shows: the row, but instances listed. */
export interface ApplicationView extends Omit<ApplicationRow, 'instances'> {
  readonly instances: readonly InstanceView[];
  readonly reportDetails: readonly ReportView[];
}
