import { useState } from 'react';
import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';

/** Props of {@link SecretOnce}. */
export interface SecretOnceProps {
  /** What the secret is, e.g. "API key"; used in the labels. */
  readonly what: string;
  readonly secret: string;
  /** Commands that use the secret, each with a title and its own Copy button. */
  readonly commands?: ReadonlyArray<{ readonly title: string; readonly text: string }>;
  readonly onDone: () => void;
}

/** A block of text with a Copy button named after it. */
function Copyable({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async (): Promise<void> => {
    try {
      // The Clipboard API needs a secure context (https or localhost); otherwise say so.
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} aria-label={label}>
        {text}
      </Code>
      <Button size="xs" variant="light" aria-label={`Copy ${label}`} onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : 'Copy'}
      </Button>
      {copied === 'failed' && (
        <Text size="xs" c="red" role="status">
          Copying is blocked here: select the text and copy it.
        </Text>
      )}
    </Group>
  );
}

/**
 * A new secret, shown once: the server never returns it again, so the panel says so and stays
 * until the user dismisses it.
 */
export function SecretOnce({ what, secret, commands = [], onDone }: SecretOnceProps) {
  return (
    <Alert color="green" title={`New ${what}`} role="region" aria-label={`New ${what}`}>
      <Stack gap="sm">
        <Text size="sm">Copy it now: it is shown only this once and cannot be retrieved later.</Text>
        <Copyable label={what} text={secret} />
        {commands.map((c) => (
          <Stack gap={4} key={c.title}>
            <Text size="sm" fw={500}>
              {c.title}
            </Text>
            <Copyable label={c.title} text={c.text} />
          </Stack>
        ))}
        <Group>
          <Button size="xs" variant="default" onClick={onDone}>
            I have copied it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
