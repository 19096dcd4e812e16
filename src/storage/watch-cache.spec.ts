import type { KubeObject } from '../machinery/meta/types';
import { CachedObject, TooOldResourceVersionError, WatchCache, type WatcherEvent } from './watch-cache';

const R = '/pods';

function pod(name: string, revision: number, labels: Record<string, string> = {}): CachedObject {
  const object: KubeObject = { kind: 'Pod', apiVersion: 'v1', metadata: { name, namespace: 'ns', resourceVersion: String(revision), labels } };
  return new CachedObject(`/core/pods/ns/${name}`, { group: '', resource: 'pods', namespace: 'ns', name }, revision, object);
}

function recorder(filter: (obj: CachedObject) => boolean = () => true) {
  const events: { type: string; name: string; rv: string }[] = [];
  return {
    events,
    sink: {
      matches: filter,
      push: (e: WatcherEvent) => events.push({ type: e.type, name: e.object.object.metadata.name!, rv: e.object.object.metadata.resourceVersion! }),
    },
  };
}

describe('WatchCache', () => {
  let cache: WatchCache;
  beforeEach(() => {
    cache = new WatchCache(3);
    cache.registerResource(R, (obj) => Object.fromEntries(Object.entries(obj.metadata.labels ?? {}).map(([k, v]) => [`label:${k}`, v])));
    cache.setStartRevision(10);
  });

  it('a watch without a resourceVersion starts with synthetic ADDED events of the current state', () => {
    cache.apply(R, 'ADDED', pod('a', 11));
    const w = recorder();
    cache.watch(R, w.sink, undefined);
    cache.apply(R, 'MODIFIED', pod('a', 12));
    expect(w.events).toEqual([
      { type: 'ADDED', name: 'a', rv: '11' },
      { type: 'MODIFIED', name: 'a', rv: '12' },
    ]);
  });

  it('resumes from a resourceVersion with the events after it', () => {
    cache.apply(R, 'ADDED', pod('a', 11));
    cache.apply(R, 'ADDED', pod('b', 12));
    cache.apply(R, 'DELETED', pod('a', 13));
    const w = recorder();
    cache.watch(R, w.sink, 11);
    expect(w.events).toEqual([
      { type: 'ADDED', name: 'b', rv: '12' },
      { type: 'DELETED', name: 'a', rv: '13' },
    ]);
  });

  it('answers too old once the ring has dropped the events after the resourceVersion', () => {
    for (let rv = 11; rv <= 15; rv++) cache.apply(R, 'ADDED', pod(`p${rv}`, rv));
    expect(() => cache.watch(R, recorder().sink, 11)).toThrow(TooOldResourceVersionError);
    expect(() => cache.watch(R, recorder().sink, 9)).toThrow('too old resource version: 9');
    expect(() => cache.watch(R, recorder().sink, 12)).not.toThrow();
  });

  it('turns objects entering and leaving a filter into ADDED and DELETED', () => {
    const w = recorder((obj) => obj.object.metadata.labels?.app === 'web');
    cache.watch(R, w.sink, 10);
    cache.apply(R, 'ADDED', pod('a', 11, { app: 'db' }));
    cache.apply(R, 'MODIFIED', pod('a', 12, { app: 'web' }));
    cache.apply(R, 'MODIFIED', pod('a', 13, { app: 'web', x: 'y' }));
    cache.apply(R, 'MODIFIED', pod('a', 14, { app: 'db' }));
    expect(w.events).toEqual([
      { type: 'ADDED', name: 'a', rv: '12' },
      { type: 'MODIFIED', name: 'a', rv: '13' },
      { type: 'DELETED', name: 'a', rv: '14' },
    ]);
  });

  it('keeps namespace and label indexes current', () => {
    cache.apply(R, 'ADDED', pod('a', 11, { app: 'web' }));
    cache.apply(R, 'ADDED', pod('b', 12, { app: 'web' }));
    cache.apply(R, 'MODIFIED', pod('b', 13, { app: 'db' }));
    const names = (it: Iterable<CachedObject>) => [...it].map((e) => e.location.name).sort();
    expect(names(cache.candidates(R, undefined, { name: 'label:app', value: 'web' }))).toEqual(['a']);
    expect(names(cache.candidates(R, 'ns'))).toEqual(['a', 'b']);
    cache.apply(R, 'DELETED', pod('a', 14, { app: 'web' }));
    expect(names(cache.candidates(R, undefined, { name: 'label:app', value: 'web' }))).toEqual([]);
    expect(cache.count(R)).toBe(1);
  });

  it('waits for a future revision', async () => {
    const waiting = cache.waitForRevision(11, 1000);
    cache.apply(R, 'ADDED', pod('a', 11));
    await expect(waiting).resolves.toBe(true);
    await expect(cache.waitForRevision(99, 10)).resolves.toBe(false);
  });
});
