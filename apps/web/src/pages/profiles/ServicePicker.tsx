/**
 * Service picker: a text input with the known services as suggestions (a native datalist). Free
 * text is allowed because the service list comes from spans and logs, and a service may send
 * only profiles. The choice is committed on Enter, on blur, or when it matches a listed service,
 * so typing does not fire a request per keystroke.
 */
import { useId, useState, type ReactNode } from 'react';
import { TextInput } from '@mantine/core';

export interface ServicePickerProps {
  value: string;
  services: readonly string[];
  onChange: (service: string) => void;
}

/** Picks the service whose profiles are shown. */
export function ServicePicker({ value, services, onChange }: ServicePickerProps): ReactNode {
  const listId = useId();
  const [draft, setDraft] = useState<{ for: string; text: string }>({ for: value, text: value });
  // A new value from the URL (back button, a link) replaces whatever was being typed.
  const text = draft.for === value ? draft.text : value;
  const commit = (next: string): void => {
    const trimmed = next.trim();
    if (trimmed !== value) onChange(trimmed);
  };
  return (
    <>
      <TextInput
        label="Service"
        placeholder="Choose or type a service"
        list={listId}
        value={text}
        w={280}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setDraft({ for: value, text: next });
          if (services.includes(next)) commit(next);
        }}
        onBlur={() => commit(text)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit(text);
        }}
      />
      <datalist id={listId}>
        {services.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}
