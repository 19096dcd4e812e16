/**
 * The writer thread: commits batches on its own SQLite connection so that the fsync of a
 * synchronous=FULL commit (and the statements themselves) never block the event loop that serves
 * requests. The main thread sends `open` once migrations have run, then `commit`/`compact`
 * requests one at a time, and hears back after each transaction has committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StoreConflictError } from './store';
import { applyWriterPragmas, compactSql, sqliteBatchWriter, type BatchWriter } from './sqlite-batch';
import type { WriterReply, WriterRequest, WriterThreadOptions } from './sqlite-writer-thread';

const options = workerData as WriterThreadOptions;
const port = parentPort;
if (!port) throw new Error('sqlite-writer.worker runs only as a worker thread');

let db: Database.Database | undefined;
let writeBatch: BatchWriter | undefined;
let compact: Database.Statement | undefined;

function handle(request: WriterRequest): void {
  switch (request.op) {
    case 'open':
      db = new Database(options.file);
      applyWriterPragmas(db, options.synchronous);
      writeBatch = sqliteBatchWriter(db);
      compact = db.prepare(compactSql('?'));
      return;
    case 'commit':
      writeBatch!(request.batch);
      return;
    case 'compact':
      compact!.run(request.revision);
      return;
    case 'close':
      db?.close();
      db = undefined;
      return;
  }
}

port.on('message', (request: WriterRequest) => {
  let reply: WriterReply;
  try {
    handle(request);
    reply = { id: request.id };
  } catch (err) {
    reply = { id: request.id, error: { message: err instanceof Error ? err.message : String(err), conflict: err instanceof StoreConflictError } };
  }
  port.postMessage(reply);
});
