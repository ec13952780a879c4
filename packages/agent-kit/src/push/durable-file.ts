/**
 * Crash-safe file writes: a reader sees either no file or the whole file, never part of it.
 *
 * ```
 * write <name>.tmp → fsync it → rename to <name> → fsync the directory
 * ```
 *
 * Without the first fsync a power loss can leave the renamed file empty or short (ext4 may
 * commit the rename before the data); without the directory fsync the rename itself may be lost.
 * A SIGKILL during the write leaves only the `.tmp` file, which the owner removes on open.
 */
import { open, rename, unlink } from 'node:fs/promises';

/** Writes `bytes` to `finalPath` through `tmpPath` (which must not exist). */
export async function writeFileDurably(
  dir: string,
  tmpPath: string,
  finalPath: string,
  bytes: Uint8Array,
): Promise<void> {
  try {
    const file = await open(tmpPath, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmpPath, finalPath);
  } catch (err) {
    await unlinkIfPresent(tmpPath);
    throw err;
  }
  await fsyncDir(dir);
}

/** Makes renames and creations in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes a file; one that is already gone is not an error. */
export async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export const isNotFound = (err: unknown): boolean =>
  (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
