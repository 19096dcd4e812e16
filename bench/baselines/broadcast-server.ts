import { createServer, type ServerResponse } from 'node:http';
import { flag } from './args';

/**
 * The fan-out floor: GET /watch opens a chunked response that stays open; POST /broadcast writes
 * its body, unchanged, to every open response, then answers. No encoding, filtering or storage.
 */
const watchers = new Set<ServerResponse>();

createServer((req, res) => {
  if (req.method === 'GET' && req.url?.startsWith('/watch')) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    watchers.add(res);
    res.on('close', () => watchers.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/broadcast') {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const line = Buffer.concat(chunks).toString('utf8');
      for (const watcher of watchers) watcher.write(line);
      const body = JSON.stringify({ watchers: watchers.size });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    });
    return;
  }
  res.writeHead(200, { 'Content-Length': 0 });
  res.end();
}).listen(Number(flag('port', '0')), '127.0.0.1');
