/**
 * The scheduler's VolumeBinding plugin, small: a pod whose claims are missing, being deleted or
 * unbound in an Immediate class is not scheduled at all; bound claims keep the pod on nodes their
 * volumes can reach; unbound WaitForFirstConsumer claims need a node with a fitting free volume, or
 * a class with a provisioner. Once a node is chosen, free volumes are pre-bound to the claims and
 * claims to provision are marked with the node (volume.kubernetes.io/selected-node); the pod is
 * bound to the node only after the persistent volume reconciler has bound every claim.
 */
import { claimNamesOf, findBestMatch, volumeFitsNode } from '../kinds/core/persistentvolume/persistentvolume.reconciler';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_SELECTED_NODE, claimClass, type PersistentVolume, type PersistentVolumeClaim } from '../kinds/core/persistentvolume/persistentvolume.types';
import type { Pod } from '../kinds/core/pod/pod.types';
import { BINDING_WAIT_FOR_FIRST_CONSUMER, type StorageClass } from '../kinds/storage.k8s.io/storageclass/storageclass.types';
import type { ResourceRegistry } from '../registry/registry';
import type { KubeObject } from '../machinery/meta/types';

export const VOLUME_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const VOLUME_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";

export interface PodVolumes {
  /** Why no node can take the pod yet (PreFilter), if so. */
  preFilterMessage?: string;
  /** Why this node cannot take the pod, if so (Filter). */
  nodeReason(node: KubeObject): string | undefined;
  /** PreBind on the chosen node: true when every claim is bound and the pod may be bound too. */
  prepare(node: KubeObject): Promise<boolean>;
}

const NOTHING_TO_DO: PodVolumes = { nodeReason: () => undefined, prepare: async () => true };

export function podVolumes(registry: ResourceRegistry, pod: Pod): PodVolumes {
  const names = claimNamesOf(pod);
  if (!names.length) return NOTHING_TO_DO;
  const claimStore = registry.forKind<PersistentVolumeClaim>('', 'PersistentVolumeClaim');
  const volumeStore = registry.forKind<PersistentVolume>('', 'PersistentVolume');
  const classStore = registry.forKind<StorageClass>('storage.k8s.io', 'StorageClass');
  const namespace = pod.metadata.namespace;
  const bound: PersistentVolume[] = [];
  const delayed: { claim: PersistentVolumeClaim; sc: StorageClass }[] = [];
  for (const name of names) {
    const claim = claimStore.find(namespace, name)?.object as PersistentVolumeClaim | undefined;
    if (!claim) return { ...NOTHING_TO_DO, preFilterMessage: `persistentvolumeclaim "${name}" not found` };
    if (claim.metadata.deletionTimestamp) return { ...NOTHING_TO_DO, preFilterMessage: `persistentvolumeclaim "${name}" is being deleted` };
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === 'yes' && claim.spec?.volumeName) {
      const pv = volumeStore.find(undefined, claim.spec.volumeName)?.object as PersistentVolume | undefined;
      if (!pv) return { ...NOTHING_TO_DO, preFilterMessage: `persistentvolume "${claim.spec.volumeName}" not found` };
      bound.push(pv);
      continue;
    }
    const className = claimClass(claim);
    const sc = className ? (classStore.find(undefined, className)?.object as StorageClass | undefined) : undefined;
    if (sc?.volumeBindingMode !== BINDING_WAIT_FOR_FIRST_CONSUMER) return { ...NOTHING_TO_DO, preFilterMessage: 'pod has unbound immediate PersistentVolumeClaims' };
    delayed.push({ claim, sc });
  }
  const labelsOf = (node: KubeObject) => (node.metadata.labels ?? {}) as Record<string, string>;
  /** For each delayed claim on this node: a free volume to take, or provisioning. */
  const plan = (node: KubeObject): { claim: PersistentVolumeClaim; volume?: PersistentVolume }[] | undefined => {
    const taken = new Set<string>();
    const steps: { claim: PersistentVolumeClaim; volume?: PersistentVolume }[] = [];
    for (const { claim, sc } of delayed) {
      const selected = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      if (selected && selected !== node.metadata.name) return undefined;
      const free = [...volumeStore.cachedObjects()].filter((pv) => !taken.has(pv.metadata.name!));
      const volume = findBestMatch(claim, free, true, node.metadata.name, labelsOf(node));
      if (volume) {
        taken.add(volume.metadata.name!);
        steps.push({ claim, volume });
      } else if (sc.provisioner && sc.provisioner !== 'kubernetes.io/no-provisioner') {
        steps.push({ claim });
      } else {
        return undefined;
      }
    }
    return steps;
  };
  return {
    nodeReason(node) {
      if (bound.some((pv) => !volumeFitsNode(pv, node.metadata.name!, labelsOf(node)))) return VOLUME_NODE_CONFLICT;
      return plan(node) ? undefined : VOLUME_BIND_CONFLICT;
    },
    async prepare(node) {
      const steps = plan(node) ?? [];
      for (const { claim, volume } of steps) {
        if (volume && !volume.spec?.claimRef) {
          await volumeStore.guaranteedUpdate(undefined, volume.metadata.name!, (latest) => {
            if (latest.spec?.claimRef) return latest;
            latest.metadata.annotations = { ...latest.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
            latest.spec = { ...latest.spec, claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion } };
            return latest;
          }, { fieldManager: 'kube-scheduler' });
        } else if (!volume && claim.metadata.annotations?.[ANN_SELECTED_NODE] !== node.metadata.name) {
          await claimStore.guaranteedUpdate(claim.metadata.namespace, claim.metadata.name!, (latest) => {
            latest.metadata.annotations = { ...latest.metadata.annotations, [ANN_SELECTED_NODE]: node.metadata.name! };
            return latest;
          }, { fieldManager: 'kube-scheduler' });
        }
      }
      return delayed.length === 0;
    },
  };
}

