import { Alert, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';

/** A page that is not built yet says so plainly (or a route that does not exist). */
export function PlaceholderPage({ title, notFound = false }: { title: string; notFound?: boolean }) {
  return (
    <Stack>
      <Title order={1} size="h3">
        {title}
      </Title>
      <Alert color="gray" title={notFound ? 'No page at this address' : 'Not built yet'}>
        {notFound ? (
          <>
            Nothing lives here. Go to the <Link to="/">applications overview</Link>.
          </>
        ) : (
          <>
            The {title.toLowerCase()} page is not built yet. Its data is already in the JSON API (see
            docs/model.md); the <Link to="/">applications overview</Link> works today.
          </>
        )}
      </Alert>
    </Stack>
  );
}
