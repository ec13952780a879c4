/** The pages in the nav bar, in order. */
export const NAV_ITEMS: ReadonlyArray<{ readonly to: string; readonly label: string }> = [
  { to: '/', label: 'Applications' },
  { to: '/map', label: 'Service map' },
  { to: '/nodes', label: 'Nodes' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/logs', label: 'Logs' },
  { to: '/traces', label: 'Traces' },
  { to: '/profiles', label: 'Profiles' },
  { to: '/settings', label: 'Settings' },
];
