import type { Clock } from '../simulation/clock';

/**
 * A de-duplicating work queue like client-go's: a key waiting is queued once, and a key added
 * while it is being processed is queued again when `done` is called, so one key never runs on two
 * workers at once. Failures back off exponentially per key (5 ms doubling to 1000 s).
 */
export class WorkQueue<K = string> {
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly failures = new Map<K, number>();
  private readonly waiting = new Map<K, { at: number; cancel: () => void }>();
  private waiters: ((key: K | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(private readonly clock: Clock) {}

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  /**
   * Adds the key after `ms` of clock time. A key already waiting keeps the earlier of its two
   * times, as client-go's delaying queue does, so reconcilers that ask again on every pass do not
   * pile up timers.
   */
  addAfter(key: K, ms: number): void {
    if (ms <= 0) return this.add(key);
    const at = this.clock.now().getTime() + ms;
    const waiting = this.waiting.get(key);
    if (waiting && waiting.at <= at) return;
    waiting?.cancel();
    const cancel = this.clock.after(ms, () => {
      this.waiting.delete(key);
      this.add(key);
    });
    this.waiting.set(key, { at, cancel });
  }

  addRateLimited(key: K): void {
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    this.addAfter(key, Math.min(5 * 2 ** failures, 1_000_000));
  }

  forget(key: K): void {
    this.failures.delete(key);
  }

  /** The next key to work on; resolves undefined once the queue shuts down. */
  get(): Promise<K | undefined> {
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  get length(): number {
    return this.queue.length;
  }

  shutDown(): void {
    this.shuttingDown = true;
    for (const { cancel } of this.waiting.values()) cancel();
    this.waiting.clear();
    for (const waiter of this.waiters) waiter(undefined);
    this.waiters = [];
  }
}
