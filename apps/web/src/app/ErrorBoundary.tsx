import { Alert, Button, Code, Stack } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  readonly children: ReactNode;
  /** Changing it (e.g. the route) clears a caught error, so navigating away recovers. */
  readonly resetKey?: string;
}

interface State {
  readonly error: Error | undefined;
  readonly resetKey: string | undefined;
}

/**
 * Catches a render error below it and shows it in the page: a crashed view must say what
 * happened instead of leaving the screen blank.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: undefined, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(_error: Error, _info: ErrorInfo): void {
    // React already reports the error to the console in development; nothing else to do.
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Alert color="red" title="This page failed to render" role="alert" m="md">
        <Stack gap="sm">
          <Code block>{error.message}</Code>
          <Button variant="light" w="fit-content" onClick={() => this.setState({ error: undefined })}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  }
}
