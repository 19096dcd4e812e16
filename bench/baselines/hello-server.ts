import { createServer } from 'node:http';

// Self-contained on purpose: the cold-start baseline is the cost of node plus node:http, nothing else.
const index = process.argv.indexOf('--port');
const port = Number(index >= 0 ? process.argv[index + 1] : 0);
createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 2 });
  res.end('ok');
}).listen(port, '127.0.0.1');
