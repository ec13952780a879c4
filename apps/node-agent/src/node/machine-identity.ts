/**
 * The labels every series of the agent carries, as Coroot's agent sets them: `machine_id`
 * (`/etc/machine-id`, or D-Bus's copy) and `system_uuid` (the firmware's, readable by root).
 * A machine with neither gets its hostname as `machine_id`, so series of two nodes never merge.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

export interface MachineIdentity {
  readonly machine_id: string;
  readonly system_uuid: string;
}

export async function readMachineIdentity(
  roots: { etc?: string; sys?: string } = {},
): Promise<MachineIdentity> {
  const etc = roots.etc ?? '/etc';
  const sys = roots.sys ?? '/sys';
  const first = async (files: string[]): Promise<string> => {
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text.trim() !== '') return text.trim();
    }
    return '';
  };
  const machineId = await first([path.join(etc, 'machine-id'), '/var/lib/dbus/machine-id']);
  const systemUuid = await first([path.join(sys, 'class/dmi/id/product_uuid')]);
  return { machine_id: machineId || hostname(), system_uuid: systemUuid.toLowerCase() };
}
