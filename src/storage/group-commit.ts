import type { Mutation, Store } from './store';

interface Waiting {
  mutation: Mutation;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: writes that arrive while a transaction is in flight share the next one, so many
 * concurrent clients pay for one commit. No write is acknowledged before the transaction holding it
 * has committed. `onCommitted` runs synchronously, in revision order, before any waiter resumes, so
 * the cache shows a write before its client hears about it.
 */
export class GroupCommitter {
  private queue: Waiting[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly onCommitted: (batch: readonly Mutation[]) => void,
    private readonly onFailed: (batch: readonly Mutation[], err: unknown) => void,
    private readonly maxBatch = 512,
  ) {}

  submit(mutation: Mutation): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ mutation, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) await new Promise((r) => setImmediate(r));
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every request parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const waiting = this.queue.splice(0, this.maxBatch);
    const batch = waiting.map((w) => w.mutation);
    try {
      await this.store.commit(batch);
      this.onCommitted(batch);
      for (const w of waiting) w.resolve();
    } catch (err) {
      // Writes queued behind a failed batch were computed on top of it, so they cannot stand either.
      const dependents = this.queue.splice(0);
      const failed = [...waiting, ...dependents];
      this.onFailed(
        failed.map((w) => w.mutation),
        err,
      );
      for (const w of failed) w.reject(err);
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
