import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';

/** Props of {@link ConfirmButton}. */
export interface ConfirmButtonProps {
  /** The button's text, e.g. "Revoke". */
  readonly label: string;
  /** The accessible name, naming the target: "Revoke key vk_ab12 (ci)". */
  readonly ariaLabel: string;
  /** The question asked before acting: what happens and whether it can be undone. */
  readonly question: string;
  readonly onConfirm: () => void;
  /** The action is under way: the button spins until the server answered. */
  readonly pending?: boolean;
}

/**
 * A destructive button that asks first, in place (no modal: the question stays next to the row
 * it is about, and keyboard focus does not jump). The confirm button repeats the action's name.
 */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  onConfirm,
  pending = false,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button
        size="xs"
        variant="light"
        color="red"
        aria-label={ariaLabel}
        loading={pending}
        onClick={() => setAsking(true)}
      >
        {label}
      </Button>
    );
  }
  return (
    <Group gap="xs" role="group" aria-label={`Confirm: ${ariaLabel}`}>
      <Text size="sm">{question}</Text>
      <Button
        size="xs"
        color="red"
        onClick={() => {
          onConfirm();
          setAsking(false);
        }}
      >
        {`Yes, ${label.toLowerCase()}`}
      </Button>
      <Button size="xs" variant="default" onClick={() => setAsking(false)}>
        Cancel
      </Button>
    </Group>
  );
}
