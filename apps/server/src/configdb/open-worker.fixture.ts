/**
 * Test fixture run as a separate process: opens the config DB described by the JSON in argv[2]
 * (OpenConfigDbOptions), registers a key, and exits 0. Two of these stand in for two server
 * replicas racing to migrate the same database. Each prints "ready" once loaded and waits for a
 * line on stdin, so the parent can release both at the same moment: process start-up takes
 * hundreds of milliseconds and migrating a few, so without the barrier they would rarely overlap.
 */
import { once } from 'node:events';
import { openConfigDb } from './open-config-db.ts';
import type { OpenConfigDbOptions } from './config-db.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as OpenConfigDbOptions;
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.destroy();
const db = await openConfigDb(options);
await db.ensureProject('default', 'Default');
await db.ensureApiKey('default', 'shared-bootstrap-key');
await db.close();
