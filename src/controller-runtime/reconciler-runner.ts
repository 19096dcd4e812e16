import { defaultListOptions } from '../registry/list-options';
import type { ResourceRegistry } from '../registry/registry';
import type { Clock } from '../simulation/clock';
import { objectKey, type Reconciler } from './reconciler';
import { WorkQueue } from './work-queue';

interface Running {
  reconciler: Reconciler;
  queue: WorkQueue<string>;
  stops: (() => void)[];
}

/**
 * Runs every reconciler: each watches its kinds on the watch cache (in-process informers), feeds
 * keys into its own work queue and reconciles them one at a time.
 */
export class ReconcilerRunner {
  private readonly running: Running[] = [];
  private stopped = false;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly clock: Clock,
    private readonly logLevel: string,
  ) {}

  add(reconciler: Reconciler): void {
    this.running.push({ reconciler, queue: new WorkQueue<string>(this.clock), stops: [] });
  }

  start(): void {
    for (const run of this.running) {
      for (const spec of run.reconciler.watches) {
        const store = this.registry.forKind(spec.group, spec.kind);
        void store
          .watch(undefined, defaultListOptions(), {
            push: (event) => {
              const obj = event.object.object;
              const mapper = event.type === 'DELETED' ? (spec.keysForDeleted ?? spec.keysFor) : spec.keysFor;
              const keys = mapper ? mapper(obj) : [objectKey(obj)];
              for (const key of keys) run.queue.add(key);
            },
          })
          .then((stop) => run.stops.push(stop));
      }
      for (const source of run.reconciler.sources ?? []) run.stops.push(source((key) => run.queue.add(key)));
      void this.work(run);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const run of this.running) {
      run.queue.shutDown();
      for (const stop of run.stops) stop();
      run.reconciler.stop?.();
    }
  }

  private async work(run: Running): Promise<void> {
    for (;;) {
      const key = await run.queue.get();
      if (key === undefined || this.stopped) return;
      try {
        const result = await run.reconciler.reconcile(key);
        run.queue.forget(key);
        if (result?.requeueAfterMs !== undefined) run.queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        if (this.logLevel === 'debug' || this.logLevel === 'info') console.error(`reconciler ${run.reconciler.name}: ${key}: ${(err as Error).message}`);
        run.queue.addRateLimited(key);
      } finally {
        run.queue.done(key);
      }
    }
  }
}
