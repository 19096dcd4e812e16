import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { flag } from './args';

interface Route {
  contentType: string;
  file: string;
}

/**
 * Answers fixed paths with fixed bytes read once at start: the floor for serving a given response
 * over node:http, with no routing, lookup or serialisation cost.
 */
const manifest = JSON.parse(readFileSync(flag('manifest'), 'utf8')) as Record<string, Route>;
const routes = new Map<string, { contentType: string; body: Buffer }>();
for (const [path, route] of Object.entries(manifest)) routes.set(path, { contentType: route.contentType, body: readFileSync(route.file) });

createServer((req, res) => {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const route = routes.get(query < 0 ? url : url.slice(0, query));
  if (!route) {
    res.writeHead(url === '/' ? 200 : 404, { 'Content-Length': 0 });
    res.end();
    return;
  }
  res.writeHead(200, { 'Content-Type': route.contentType, 'Content-Length': route.body.length });
  res.end(route.body);
}).listen(Number(flag('port', '0')), '127.0.0.1');
