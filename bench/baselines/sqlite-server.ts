import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { flag } from './args';

/**
 * The durable-write floor: per request, parse the body and INSERT it in its own autocommit
 * transaction (one commit each, no batching), with the pragmas kubemu uses.
 */
const db = new Database(join(flag('data-dir'), 'baseline.db'));
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${flag('synchronous', 'NORMAL')}`);
db.pragma('busy_timeout = 5000');
db.exec('CREATE TABLE IF NOT EXISTS objects (key TEXT PRIMARY KEY, namespace TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO objects (key, namespace, name, value) VALUES (?, ?, ?, ?)');

createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(200, { 'Content-Length': 0 });
    res.end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      const object = JSON.parse(body) as { metadata: { name: string } };
      const namespace = /\/namespaces\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? '';
      insert.run(`${req.url}/${object.metadata.name}`, namespace, object.metadata.name, body);
      res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    } catch (err) {
      const message = JSON.stringify({ message: (err as Error).message });
      res.writeHead(409, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(message) });
      res.end(message);
    }
  });
}).listen(Number(flag('port', '0')), '127.0.0.1');

process.on('SIGTERM', () => {
  db.close();
  process.exit(0);
});
