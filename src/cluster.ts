import { Discovery } from './api/discovery';
import type { ObjectDecoder } from './api/object-decoder';
import { OutputRenderer } from './api/output';
import { createObjectDecoder } from './api/schema-decoder';
import { KUBERNETES_VERSION, type KubemuConfig } from './config/config';
import { garbageCollector } from './reconcilers/garbage-collector';
import { ReconcilerRunner } from './controller-runtime/reconciler-runner';
import { validateMetaForType, validateMetaUpdateForType } from './registry/meta-validation';
import { scanReconcilers, scanResourceTypes } from './registry/kind-scan';
import { ListSnapshots } from './registry/list-snapshots';
import { ResourceRegistry } from './registry/registry';
import { seedCluster } from './registry/seed';
import { ScaledClock, type Clock } from './simulation/clock';
import { ContainerRuntime } from './simulation/container-runtime';
import { installAddons } from './simulation/addons';
import { kubeProxy } from './simulation/kube-proxy';
import { kubelet } from './simulation/kubelet';
import { loadBalancers } from './simulation/load-balancer';
import { nodeHeartbeats } from './simulation/node-heartbeat';
import { registerSimulatedNodes, simulatedNodeName } from './simulation/nodes';
import { serveResourceMetrics } from './simulation/resource-usage';
import { scheduler } from './simulation/scheduler';
import { ObjectStorage } from './storage/object-storage';
import { SqlStore } from './storage/sql-store';

/**
 * The assembled control plane: storage, the registry of kinds, the schema machinery and the
 * reconcilers, independent of any transport (REST today; GraphQL and others use the same).
 */
export class Cluster {
  private constructor(
    readonly config: KubemuConfig,
    readonly clock: Clock,
    readonly storage: ObjectStorage,
    readonly registry: ResourceRegistry,
    readonly decoder: ObjectDecoder,
    readonly discovery: Discovery,
    readonly renderer: OutputRenderer,
    private readonly reconcilers: ReconcilerRunner,
    readonly runtime: ContainerRuntime,
  ) {}

  static async open(config: KubemuConfig, clock: Clock = new ScaledClock(config.timeScale)): Promise<Cluster> {
    const store = await SqlStore.openSqlite(config.dataDir, { synchronous: config.sqliteSynchronous });
    const storage = new ObjectStorage(store);
    const decoder = createObjectDecoder();
    let registry: ResourceRegistry | undefined;
    registry = new ResourceRegistry(scanResourceTypes(), {
      storage,
      clock,
      applySchemaDefaults: (obj, definition) => decoder.applyDefaults(obj, definition),
      validateMeta: validateMetaForType,
      validateMetaUpdate: validateMetaUpdateForType,
      namespace: (name) => registry!.forKind('', 'Namespace').find(undefined, name)?.object,
      snapshots: new ListSnapshots(),
      settings: { serviceClusterIPRange: config.serviceClusterIPRange, serviceNodePortRange: config.serviceNodePortRange },
    });
    await storage.start();
    await seedCluster(registry);
    await registerSimulatedNodes(registry, clock, config.nodes, KUBERNETES_VERSION.gitVersion);
    await installAddons(registry);
    serveResourceMetrics(registry, clock);
    const runtime = new ContainerRuntime();
    const reconcilers = new ReconcilerRunner(registry, clock, config.logLevel);
    reconcilers.add(garbageCollector(registry));
    reconcilers.add(scheduler(registry, clock));
    reconcilers.add(kubelet(registry, clock, runtime));
    reconcilers.add(loadBalancers(registry, clock));
    const simulatedNodes = new Set(Array.from({ length: config.nodes }, (_, i) => simulatedNodeName(i + 1)));
    reconcilers.add(nodeHeartbeats(registry, clock, (name) => simulatedNodes.has(name)));
    const quiet = config.logLevel === 'silent';
    reconcilers.add(kubeProxy(registry, config.host, (message) => quiet || console.error(message)));
    for (const create of scanReconcilers()) reconcilers.add(create(registry, clock));
    reconcilers.start();
    return new Cluster(config, clock, storage, registry, decoder, new Discovery(registry), new OutputRenderer(clock), reconcilers, runtime);
  }

  async close(): Promise<void> {
    this.reconcilers.stop();
    await this.storage.close();
  }
}
