import { Alert } from '@mantine/core';

/** A failed request, in the page: what failed and the server's message. */
export function ApiErrorAlert({ title, error }: { title: string; error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title={title} role="alert">
      {message}
    </Alert>
  );
}
