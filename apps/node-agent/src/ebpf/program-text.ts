/**
 * Pieces of bpftrace program text shared by the program's parts (tcp-program.ts, l7-program.ts,
 * dns-program.ts, messaging-program.ts).
 */

/** Writes `statements` against the interval map copy being filled (see tcp-program.ts). */
export type ByEpoch = (indent: string, statements: (copy: string) => string[]) => string[];

/** Four bytes as the little-endian u32 the program compares a buffer's start with. */
export function le32(text: string): number {
  return (
    (text.charCodeAt(0) |
      (text.charCodeAt(1) << 8) |
      (text.charCodeAt(2) << 16) |
      (text.charCodeAt(3) << 24)) >>>
    0
  );
}

export const TCP = 6;
export const UDP = 17;

/**
 * Statements setting `variable` (e.g. `$sk`) to the socket of `protocol` behind `$fd` of the
 * current task (task → files → file → socket → sock), or 0.
 */
export function socketOfFd(variable: string, protocol: number): string[] {
  return [
    `${variable} = (struct sock *)0;`,
    'if ($fd < curtask->files->fdt->max_fds) {',
    '  $file = *(curtask->files->fdt->fd + $fd);',
    '  if ($file != 0 && ($file->f_inode->i_mode & 0xF000) == 0xC000) {',
    '    $s = ((struct socket *)$file->private_data)->sk;',
    `    if ($s->sk_protocol == ${protocol}) { ${variable} = $s; }`,
    '  }',
    '}',
  ];
}
