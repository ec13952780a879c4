import { Badge } from '@mantine/core';
import type { Severity } from './incident-types.ts';

/** An incident's severity, and whether it is still open, as badges. */
export function SeverityBadge({ severity, open }: { severity: Severity; open: boolean }) {
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
