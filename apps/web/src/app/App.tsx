import { MantineProvider, Title } from '@mantine/core';

/** The application shell (pages, routing and data fetching land here). */
export function App() {
  return (
    <MantineProvider defaultColorScheme="auto">
      <Title order={1}>Vigil</Title>
    </MantineProvider>
  );
}
