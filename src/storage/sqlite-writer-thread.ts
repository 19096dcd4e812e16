import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bundleManifest } from '../config/bundle-manifest';
import { StoreConflictError, type Mutation } from './store';
import type { SqliteSynchronous } from './sqlite-batch';

export interface WriterThreadOptions {
  file: string;
  synchronous: SqliteSynchronous;
}

export type WriterRequest =
  | { id: number; op: 'open' }
  | { id: number; op: 'commit'; batch: readonly Mutation[] }
  | { id: number; op: 'compact'; revision: number }
  | { id: number; op: 'close' };

export interface WriterReply {
  id: number;
  error?: { message: string; conflict: boolean };
}

type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;


/**
 * The main thread's handle on the writer thread (sqlite-writer.worker.ts). Requests are answered in
 * order; a thread that dies fails every request still waiting and every later one.
 */
export class SqliteWriterThread {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private failure?: Error;

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.settle(reply));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`the SQLite writer thread exited with code ${code}`)));
  }

  /**
   * Starts the thread (it loads better-sqlite3 while the caller finishes opening the store), or
   * returns undefined when there is no compiled worker script: the sources run under a TypeScript
   * loader in unit tests, and those write in-process.
   */
  static start(options: WriterThreadOptions): SqliteWriterThread | undefined {
    const script = bundleManifest()?.writerScript ?? join(__dirname, 'sqlite-writer.worker.js');
    if (!existsSync(script)) return undefined;
    return new SqliteWriterThread(new Worker(script, { workerData: options }));
  }

  /** Opens the thread's connection; call once the schema exists. */
  open(): Promise<void> {
    return this.request({ op: 'open' });
  }

  commit(batch: readonly Mutation[]): Promise<void> {
    return this.request({ op: 'commit', batch });
  }

  compact(revision: number): Promise<void> {
    return this.request({ op: 'compact', revision });
  }

  async close(): Promise<void> {
    if (!this.failure) await this.request({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }

  private request(request: Request): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      // The thread keeps the process alive only while someone waits on it.
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private settle(reply: WriterReply): void {
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if (!reply.error) waiter.resolve();
    else waiter.reject(reply.error.conflict ? new StoreConflictError(reply.error.message) : new Error(reply.error.message));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}
