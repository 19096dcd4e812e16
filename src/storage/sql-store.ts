import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, type QueryRunner } from 'typeorm';
import type { QueryResult } from 'typeorm/query-runner/QueryResult';
import type BetterSqlite3 from 'better-sqlite3';
import { InitialSchema1764000000000 } from '../../migrations/1764000000000-initial-schema';
import { StoreConflictError, type Mutation, type Store, type StoredObject } from './store';
import { applyWriterPragmas, compactSql, sqliteBatchWriter, type BatchWriter, type SqliteSynchronous } from './sqlite-batch';
import { SqliteWriterThread } from './sqlite-writer-thread';

export const MIGRATIONS = [InitialSchema1764000000000];

interface ObjectRow {
  key: string;
  api_group: string;
  resource: string;
  namespace: string;
  name: string;
  resource_version: number | string;
  value: string;
}

/**
 * The Store over TypeORM. One transaction per batch: each mutation is a compare-and-swap on the
 * object row (`WHERE resource_version = ?`) plus its change-log row. Statements stay plain SQL with
 * numbered placeholders produced by the dialect, so the PostgreSQL backend shares this class.
 */
export class SqlStore implements Store {
  /** One long-lived runner for all writes, so its prepared-statement cache survives between batches. */
  private readonly writer: QueryRunner;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly placeholder: (index: number) => string,
    /** A synchronous batch writer when the driver allows one (SQLite); otherwise the query runner is used. */
    private readonly batchWriter?: BatchWriter,
    /** SQLite files are written by a thread of their own (see sqlite-writer.worker.ts). */
    private readonly writerThread?: SqliteWriterThread,
  ) {
    this.writer = dataSource.createQueryRunner();
  }

  /**
   * `dataDir` is a directory for the SQLite file, or ":memory:" for a throwaway store.
   * `portableWrites` forces the query-runner path the PostgreSQL backend uses (for tests);
   * `writerThread: false` keeps a file's writes on the calling thread.
   */
  static async openSqlite(dataDir: string, options: { synchronous?: SqliteSynchronous; portableWrites?: boolean; writerThread?: boolean } = {}): Promise<SqlStore> {
    const synchronous = options.synchronous ?? 'NORMAL';
    let database = ':memory:';
    let writerThread: SqliteWriterThread | undefined;
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      database = join(dataDir, 'kubemu.db');
      // Started first so that the thread boots while TypeORM opens the file and migrates.
      if (!options.portableWrites && options.writerThread !== false) writerThread = SqliteWriterThread.start({ file: database, synchronous });
    }
    const dataSource = new DataSource({
      type: 'better-sqlite3',
      database,
      enableWAL: true,
      // WAL with synchronous=NORMAL survives a process crash (kill -9) without an fsync per commit;
      // FULL also survives power loss.
      prepareDatabase: (db: { pragma(source: string): unknown }) => applyWriterPragmas(db, synchronous),
      migrations: MIGRATIONS,
      migrationsRun: false,
      synchronize: false,
      logging: false,
    });
    try {
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: 'each' });
      await writerThread?.open();
    } catch (err) {
      await writerThread?.close();
      if (dataSource.isInitialized) await dataSource.destroy();
      throw err;
    }
    if (writerThread) return new SqlStore(dataSource, () => '?', undefined, writerThread);
    const db = (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
    return new SqlStore(dataSource, () => '?', options.portableWrites ? undefined : sqliteBatchWriter(db));
  }

  async load(): Promise<{ revision: number; objects: StoredObject[] }> {
    const rows: ObjectRow[] = await this.dataSource.query(
      'SELECT key, api_group, resource, namespace, name, resource_version, value FROM objects',
    );
    const [{ max }] = (await this.dataSource.query('SELECT MAX(revision) AS max FROM changes')) as { max: number | string | null }[];
    let revision = Number(max ?? 0);
    const objects = rows.map((row) => {
      const rv = Number(row.resource_version);
      if (rv > revision) revision = rv;
      return {
        key: row.key,
        location: { group: row.api_group, resource: row.resource, namespace: row.namespace, name: row.name },
        revision: rv,
        value: row.value,
      };
    });
    return { revision, objects };
  }

  async commit(batch: readonly Mutation[]): Promise<void> {
    if (batch.length === 0) return;
    if (this.writerThread) return this.writerThread.commit(batch);
    if (this.batchWriter) return this.batchWriter(batch);
    const runner = this.writer;
    try {
      await runner.startTransaction();
      for (const mutation of batch) await this.apply(runner, mutation);
      await runner.commitTransaction();
    } catch (err) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw err;
    }
  }

  private async apply(runner: QueryRunner, m: Mutation): Promise<void> {
    const p = this.placeholder;
    const loc = m.location;
    if (m.type === 'ADDED') {
      await runner.query(
        `INSERT INTO objects (key, api_group, resource, namespace, name, uid, resource_version, value) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)})`,
        [m.key, loc.group, loc.resource, loc.namespace, loc.name, m.uid, m.revision, m.value],
      );
    } else {
      const changed: QueryResult =
        m.type === 'MODIFIED'
          ? await runner.query(`UPDATE objects SET resource_version = ${p(1)}, value = ${p(2)} WHERE key = ${p(3)} AND resource_version = ${p(4)}`, [m.revision, m.value, m.key, m.prevRevision], true)
          : await runner.query(`DELETE FROM objects WHERE key = ${p(1)} AND resource_version = ${p(2)}`, [m.key, m.prevRevision], true);
      if (changed.affected !== 1) throw new StoreConflictError(`${m.key} changed since revision ${m.prevRevision}`);
    }
    await runner.query(`INSERT INTO changes (revision, key, type, prev_revision, value) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, [
      m.revision,
      m.key,
      m.type,
      m.prevRevision,
      m.value,
    ]);
  }

  async compact(revision: number): Promise<void> {
    if (this.writerThread) return this.writerThread.compact(revision);
    await this.dataSource.query(compactSql(this.placeholder(1)), [revision]);
  }

  async close(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    await this.writerThread?.close();
    await this.writer.release();
    await this.dataSource.destroy();
  }
}
