import { Badge } from '@mantine/core';
import type { IncidentSeverity } from '@vigil/spec';

/** An incident's severity, and whether it is still open, as badges. */
export function SeverityBadge({ severity, open }: { severity: IncidentSeverity; open: boolean }) {
  return (
    <>
      <Badge color={severity === 'critical' ? 'red' : 'orange'} variant="light">
        {severity}
      </Badge>{' '}
      <Badge color={open ? 'red' : 'gray'} variant={open ? 'filled' : 'outline'}>
        {open ? 'open' : 'resolved'}
      </Badge>
    </>
  );
}
