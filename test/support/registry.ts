/**
 * A registry of every kind on an in-memory store, with a manual clock and no reconcilers running:
 * reconciler unit tests seed objects through it and call `reconcile(key)` themselves, as upstream's
 * controller tests fill informer stores and call the sync function.
 */
import { createObjectDecoder } from '../../src/api/schema-decoder';
import { scanResourceTypes } from '../../src/registry/kind-scan';
import { ListSnapshots } from '../../src/registry/list-snapshots';
import { validateMetaForType, validateMetaUpdateForType } from '../../src/registry/meta-validation';
import { ResourceRegistry } from '../../src/registry/registry';
import { seedCluster } from '../../src/registry/seed';
import { ManualClock } from '../../src/simulation/clock';
import { ObjectStorage } from '../../src/storage/object-storage';
import { SqlStore } from '../../src/storage/sql-store';

export interface SeededRegistry {
  registry: ResourceRegistry;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function seededRegistry(): Promise<SeededRegistry> {
  const clock = new ManualClock();
  const storage = new ObjectStorage(await SqlStore.openSqlite(':memory:'));
  const decoder = createObjectDecoder();
  const registry: ResourceRegistry = new ResourceRegistry(scanResourceTypes(), {
    storage,
    clock,
    applySchemaDefaults: (obj, definition) => decoder.applyDefaults(obj, definition),
    validateMeta: validateMetaForType,
    validateMetaUpdate: validateMetaUpdateForType,
    namespace: (name) => registry.forKind('', 'Namespace').find(undefined, name)?.object,
    snapshots: new ListSnapshots(),
    settings: { serviceClusterIPRange: '10.96.0.0/12', serviceNodePortRange: { min: 30000, max: 32767 } },
  });
  await storage.start();
  await seedCluster(registry);
  return { registry, clock, close: () => storage.close() };
}
