/**
 * Known load for tests: sends text-protocol commands on a fresh connection and resolves once
 * every one of them was answered, so that a `stats` taken afterwards includes them all.
 */
import net from 'node:net';

/** The line that ends the reply to each command the tests send (`get` ends with END). */
const LAST_LINE =
  /^(STORED|NOT_STORED|EXISTS|NOT_FOUND|DELETED|TOUCHED|END|OK|ERROR|CLIENT_ERROR .*|SERVER_ERROR .*)$/;

/** `set <key> 0 0 <len>` with its data block. */
export const setCommand = (key: string, value = 'x'): string =>
  `set ${key} 0 0 ${Buffer.byteLength(value)}\r\n${value}`;

/** Runs `commands` (each without its final CRLF) in order and resolves with the reply lines. */
export function runCommands(port: number, commands: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.once('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\r\n').slice(0, -1);
      if (lines.filter((line) => LAST_LINE.test(line)).length >= commands.length) {
        socket.destroy();
        resolve(lines);
      }
    });
    socket.write(commands.map((c) => `${c}\r\n`).join(''));
  });
}
