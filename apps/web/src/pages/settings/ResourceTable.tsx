import type { ReactNode } from 'react';
import { Table, Text } from '@mantine/core';
import { ApiErrorAlert } from '../../app/ApiErrorAlert.tsx';
import { ConfirmButton } from './ConfirmButton.tsx';

/** One column: its header and what a row shows in it. */
export interface ResourceColumn<T> {
  readonly header: string;
  readonly cell: (row: T) => ReactNode;
}

/** The mutation that deletes a row by its key (a `useSend` of a DELETE). */
export interface DeleteMutation {
  readonly mutate: (key: string) => void;
  readonly isPending: boolean;
  readonly variables: string | undefined;
  readonly error: Error | null;
}

/** The confirm-to-delete action of every row. */
export interface DeleteAction<T> {
  /** The verb on the button: "Delete", "Revoke". */
  readonly label: string;
  /** The button's accessible name, naming the row: "Revoke key vk_ab12… (ci)". */
  readonly ariaLabel: (row: T) => string;
  /** What happens, asked before acting. */
  readonly question: (row: T) => string;
  readonly mutation: DeleteMutation;
  /** Shown above the table when the server refused: "Could not revoke the key". */
  readonly errorTitle: string;
  /** For a row that cannot be deleted (the default project, yourself): what to show instead. */
  readonly instead?: (row: T) => ReactNode | undefined;
}

/** Props of {@link ResourceTable}. */
export interface ResourceTableProps<T> {
  /** The table's accessible name: "API keys". */
  readonly label: string;
  /** Undefined while loading. */
  readonly rows: readonly T[] | undefined;
  readonly rowKey: (row: T) => string;
  readonly columns: ReadonlyArray<ResourceColumn<T>>;
  readonly remove: DeleteAction<T>;
  /** The list's load error, with what failed: "Could not load the API keys". */
  readonly loadError?: { readonly title: string; readonly error: Error | null };
  /** Said in the table when there are no rows: "No API keys yet." */
  readonly empty: string;
}

/**
 * The list of a settings resource (projects, keys, tokens, users): a table with the given columns
 * and an Actions column that deletes a row after asking in place. Load and delete failures are
 * shown above it with the server's message.
 */
export function ResourceTable<T>({
  label,
  rows,
  rowKey,
  columns,
  remove,
  loadError,
  empty,
}: ResourceTableProps<T>) {
  const { mutation } = remove;
  return (
    <>
      {loadError?.error && <ApiErrorAlert title={loadError.title} error={loadError.error} />}
      {mutation.error && <ApiErrorAlert title={remove.errorTitle} error={mutation.error} />}
      <Table aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th key={c.header}>{c.header}</Table.Th>
            ))}
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length + 1}>
                <Text size="sm" c="dimmed">
                  {empty}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {rows?.map((row) => {
            const key = rowKey(row);
            const instead = remove.instead?.(row);
            return (
              <Table.Tr key={key}>
                {columns.map((c) => (
                  <Table.Td key={c.header}>{c.cell(row)}</Table.Td>
                ))}
                <Table.Td>
                  {instead !== undefined ? (
                    instead
                  ) : (
                    <ConfirmButton
                      label={remove.label}
                      ariaLabel={remove.ariaLabel(row)}
                      question={remove.question(row)}
                      onConfirm={() => mutation.mutate(key)}
                      pending={mutation.isPending && mutation.variables === key}
                    />
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </>
  );
}
