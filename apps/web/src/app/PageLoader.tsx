import { Center, Loader } from '@mantine/core';

/** What a page shows while its code or data loads. */
export function PageLoader({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite" aria-label={label}>
      {/* The name is on the status region: axe forbids aria-label on the loader's bare span. */}
      <Loader size="sm" aria-hidden />
    </Center>
  );
}
