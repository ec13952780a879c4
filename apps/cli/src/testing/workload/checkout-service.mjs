/* global process, console */
// A small real service for end-to-end tests, run in a Docker container (host network) with
// node_modules mounted at /app/node_modules: every HTTP request runs one query on Postgres (the
// `pg` client, a pool of two) and one GET on Redis over a fresh TCP connection (RESP by hand),
// and answers 200, or 500 when either fails. Settings come from the environment: PORT,
// PG_URL, REDIS_PORT. Plain JavaScript: the container has Node.js but no TypeScript loader.
import http from 'node:http';
import net from 'node:net';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.PG_URL, max: 2 });
const redisPort = Number(process.env.REDIS_PORT);

function redisGet(key) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: redisPort });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('redis timeout')));
    socket.on('connect', () => socket.write(`*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (
        reply.endsWith('\r\n') &&
        (reply.startsWith('$-1') || reply.split('\r\n').length >= 3 || reply.startsWith('-'))
      ) {
        socket.end();
        if (reply.startsWith('-')) reject(new Error(reply.trim()));
        else resolve(reply);
      }
    });
    socket.on('error', reject);
  });
}

http
  .createServer(async (req, res) => {
    try {
      await pool.query('SELECT count(*) FROM pg_stat_activity');
      await redisGet('checkout:config');
      res.writeHead(200).end('ok\n');
    } catch (err) {
      console.error(`ERROR checkout failed: ${err.message}`);
      res.writeHead(500).end('failed\n');
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('checkout service listening'));
