/**
 * The persistent volume controller of the controller manager (pkg/controller/volume/persistentvolume)
 * with the in-tree protection controllers and a simulated provisioner for the default class:
 *
 * - a pending claim is bound to the smallest Available volume that satisfies it (class, access
 *   modes, capacity, volume mode, selector; a volume pre-bound to the claim first), or to the one
 *   it names in spec.volumeName;
 * - a claim of a class with a provisioner gets a volume `pvc-<claim uid>` made for it (for
 *   WaitForFirstConsumer classes once the scheduler has picked a node, pinned to that node);
 * - a volume whose claim is gone is Released, then kept (Retain), wiped for reuse (Recycle) or
 *   deleted (Delete; volumes this cluster did not provision cannot be deleted and go Failed);
 * - claims and volumes being deleted keep their protection finalizers while a pod or a claim
 *   still uses them.
 *
 * Keys are `claim:<namespace>/<name>` and `volume:<name>`.
 */
import { CONTROLLER_WRITE } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import { compareQuantities, parseQuantity, type Quantity } from '../../../machinery/quantity/quantity';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { nodeSelectorTermsMatch } from '../../../machinery/selectors/node-selector';
import type { ResourceRegistry } from '../../../registry/registry';
import { formatTime, type Clock } from '../../../simulation/clock';
import { BINDING_WAIT_FOR_FIRST_CONSUMER, type StorageClass } from '../../storage.k8s.io/storageclass/storageclass.types';
import type { Pod } from '../pod/pod.types';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_PROVISIONED_BY,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  PV_PROTECTION_FINALIZER,
  PVC_PROTECTION_FINALIZER,
  volumeClass,
  type PersistentVolume,
  type PersistentVolumeClaim,
} from './persistentvolume.types';

const COMPONENT = 'persistentvolume-controller';
/** The provisioner this cluster runs itself (the default class's); others are waited for, as on a real cluster without them. */
export const HOSTPATH_PROVISIONER = 'kubemu.io/hostpath';
const HOSTPATH_ROOT = '/var/lib/kubemu/hostpath';

const CLAIM_PREFIX = 'claim:';
const VOLUME_PREFIX = 'volume:';
const claimKey = (namespace: string | undefined, name: string) => `${CLAIM_PREFIX}${namespace ?? ''}/${name}`;
const volumeKey = (name: string) => `${VOLUME_PREFIX}${name}`;

/** The claims a pod's volumes name. */
export function claimNamesOf(pod: Pod): string[] {
  const names: string[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    const source = volume.persistentVolumeClaim as { claimName?: string } | undefined;
    if (source?.claimName) names.push(source.claimName);
  }
  return names;
}

function storageOf(list: Record<string, string> | undefined): Quantity | undefined {
  return parseQuantity(list?.storage);
}

/** Whether a volume could serve the claim, apart from whom it is bound to (checkVolumeSatisfyClaim). */
export function volumeMismatch(pv: PersistentVolume, claim: PersistentVolumeClaim): string | undefined {
  const requested = storageOf(claim.spec?.resources?.requests);
  const capacity = storageOf(pv.spec?.capacity);
  if (requested && (!capacity || compareQuantities(capacity, requested) < 0)) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(claim)) return 'storageClassName does not match';
  if ((pv.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return 'incompatible volumeMode';
  const offered = new Set(pv.spec?.accessModes ?? []);
  if (!(claim.spec?.accessModes ?? []).every((m) => offered.has(m))) return 'incompatible accessMode';
  return undefined;
}

function boundToClaim(pv: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/**
 * FindMatchingVolume: a volume pre-bound to the claim wins; otherwise the smallest free one that
 * fits. A claim of a WaitForFirstConsumer class without a chosen node takes pre-bound volumes
 * only: the scheduler picks the others, knowing where the pod goes.
 */
export function findBestMatch(claim: PersistentVolumeClaim, volumes: Iterable<PersistentVolume>, delayBinding: boolean, nodeName?: string, nodeLabels?: Record<string, string>): PersistentVolume | undefined {
  let selector: LabelSelector;
  try {
    selector = claim.spec?.selector ? LabelSelector.fromObject(claim.spec.selector) : LabelSelector.everything();
  } catch {
    return undefined;
  }
  let best: PersistentVolume | undefined;
  let bestSize: Quantity | undefined;
  for (const pv of volumes) {
    if (pv.metadata.deletionTimestamp) continue;
    if (volumeMismatch(pv, claim)) continue;
    if (boundToClaim(pv, claim)) return pv;
    if (nodeName !== undefined && !volumeFitsNode(pv, nodeName, nodeLabels ?? {})) continue;
    if (pv.spec?.claimRef) continue;
    if (pv.status?.phase !== 'Available' && pv.status?.phase !== 'Pending') continue;
    if (delayBinding && nodeName === undefined) continue;
    if (!selector.matches(pv.metadata.labels)) continue;
    const size = storageOf(pv.spec?.capacity);
    if (!best || (size && bestSize && compareQuantities(size, bestSize) < 0)) {
      best = pv;
      bestSize = size;
    }
  }
  return best;
}

/** The volume's required node affinity admits the node (CheckNodeAffinity). */
export function volumeFitsNode(pv: PersistentVolume, nodeName: string, labels: Record<string, string>): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms;
  return !terms?.length || nodeSelectorTermsMatch(terms, { name: nodeName, labels });
}

export const persistentVolumeReconciler = defineReconciler((registry: ResourceRegistry, clock: Clock) => {
  const claims = registry.forKind<PersistentVolumeClaim>('', 'PersistentVolumeClaim');
  const volumes = registry.forKind<PersistentVolume>('', 'PersistentVolume');
  const classes = registry.forKind<StorageClass>('storage.k8s.io', 'StorageClass');
  const pods = registry.forKind<Pod>('', 'Pod');
  const events = new EventRecorder(registry, clock, { component: COMPONENT });
  const provisionerEvents = new EventRecorder(registry, clock, { component: `${HOSTPATH_PROVISIONER}_kubemu` });
  const now = () => formatTime(clock.now());

  const pendingClaimKeys = (): string[] => {
    const keys: string[] = [];
    for (const claim of claims.cachedObjects()) if (claim.status?.phase !== 'Bound') keys.push(claimKey(claim.metadata.namespace, claim.metadata.name!));
    return keys;
  };

  const ignoreGone = async (write: Promise<unknown>): Promise<void> => {
    try {
      await write;
    } catch (err) {
      if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
    }
  };

  // ---------------------------------------------------------------- writes

  const setClaimStatus = async (claim: PersistentVolumeClaim, status: PersistentVolumeClaim['status']): Promise<void> => {
    await ignoreGone(
      claims.guaranteedUpdate(claim.metadata.namespace, claim.metadata.name!, (latest) => ({ ...latest, status: { ...latest.status, ...status } }), CONTROLLER_WRITE, 'status'),
    );
  };

  const setVolumePhase = async (pv: PersistentVolume, phase: string, message?: string, reason?: string): Promise<void> => {
    if (pv.status?.phase === phase && (pv.status.message ?? undefined) === message) return;
    await ignoreGone(
      volumes.guaranteedUpdate(
        undefined,
        pv.metadata.name!,
        (latest) => {
          const changed = latest.status?.phase !== phase;
          const status = { ...latest.status, phase, ...(changed ? { lastPhaseTransitionTime: now() } : {}) };
          if (message === undefined) delete status.message;
          else status.message = message;
          if (reason === undefined) delete status.reason;
          else status.reason = reason;
          return { ...latest, status };
        },
        CONTROLLER_WRITE,
        'status',
      ),
    );
  };

  /** bind: the volume points at the claim, the claim at the volume, both Bound. */
  const bind = async (pv: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> => {
    const { object } = await volumes.guaranteedUpdate(
      undefined,
      pv.metadata.name!,
      (latest) => {
        const ref = latest.spec?.claimRef;
        if (ref?.uid === claim.metadata.uid) return latest;
        const annotations = { ...latest.metadata.annotations };
        if (!ref) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
        latest.metadata.annotations = annotations;
        latest.spec = {
          ...latest.spec,
          claimRef: { kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
        };
        return latest;
      },
      CONTROLLER_WRITE,
    );
    const bound = object as PersistentVolume;
    await setVolumePhase(bound, 'Bound');
    const { object: updatedClaim } = await claims.guaranteedUpdate(
      claim.metadata.namespace,
      claim.metadata.name!,
      (latest) => {
        const annotations: Record<string, string> = { ...latest.metadata.annotations, [ANN_BIND_COMPLETED]: 'yes' };
        if (!latest.spec?.volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
        latest.metadata.annotations = annotations;
        latest.spec = { ...latest.spec, volumeName: bound.metadata.name };
        return latest;
      },
      CONTROLLER_WRITE,
    );
    const current = updatedClaim as PersistentVolumeClaim;
    const status = { phase: 'Bound', accessModes: bound.spec?.accessModes, capacity: bound.spec?.capacity };
    if (current.status?.phase !== 'Bound' || JSON.stringify(current.status.capacity) !== JSON.stringify(status.capacity)) await setClaimStatus(current, status);
  };

  const removeFinalizer = async (store: typeof claims | typeof volumes, obj: KubeObject, finalizer: string): Promise<void> => {
    if (!obj.metadata.finalizers?.includes(finalizer)) return;
    await ignoreGone(
      (store as typeof volumes).guaranteedUpdate(
        obj.metadata.namespace,
        obj.metadata.name!,
        (latest) => {
          latest.metadata.finalizers = (latest.metadata.finalizers ?? []).filter((f) => f !== finalizer);
          return latest;
        },
        CONTROLLER_WRITE,
      ),
    );
  };

  // ---------------------------------------------------------------- provisioning

  const provision = async (claim: PersistentVolumeClaim, sc: StorageClass): Promise<void> => {
    const provisioner = sc.provisioner ?? '';
    const annotations = claim.metadata.annotations ?? {};
    if (annotations[ANN_STORAGE_PROVISIONER] !== provisioner) {
      await claims.guaranteedUpdate(
        claim.metadata.namespace,
        claim.metadata.name!,
        (latest) => {
          latest.metadata.annotations = { ...latest.metadata.annotations, [ANN_BETA_STORAGE_PROVISIONER]: provisioner, [ANN_STORAGE_PROVISIONER]: provisioner };
          return latest;
        },
        CONTROLLER_WRITE,
      );
      await events.record(
        claim,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      );
    }
    if (provisioner !== HOSTPATH_PROVISIONER) return;
    const name = `pvc-${claim.metadata.uid}`;
    if (volumes.find(undefined, name)) return;
    const namespace = claim.metadata.namespace ?? '';
    await provisionerEvents.record(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${namespace}/${claim.metadata.name}"`);
    const node = annotations[ANN_SELECTED_NODE];
    const pv: PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { [ANN_PROVISIONED_BY]: provisioner } },
      spec: {
        accessModes: claim.spec?.accessModes,
        capacity: { storage: claim.spec?.resources?.requests?.storage ?? '0' },
        claimRef: { kind: 'PersistentVolumeClaim', namespace, name: claim.metadata.name, uid: claim.metadata.uid, apiVersion: 'v1', resourceVersion: claim.metadata.resourceVersion },
        hostPath: { path: `${HOSTPATH_ROOT}/${name}_${namespace}_${claim.metadata.name}`, type: 'DirectoryOrCreate' },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
        ...(node ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } } : {}),
      },
    };
    try {
      await volumes.create(undefined, pv, CONTROLLER_WRITE);
    } catch (err) {
      if (err instanceof StatusError && err.code === 409) return;
      await provisionerEvents.record(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${(err as Error).message}`);
      throw err;
    }
    await provisionerEvents.record(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
  };

  // ---------------------------------------------------------------- claims

  const claimInUse = (claim: PersistentVolumeClaim): boolean => {
    for (const pod of pods.cachedObjects(claim.metadata.namespace)) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      if (claimNamesOf(pod).includes(claim.metadata.name!)) return true;
    }
    return false;
  };

  const syncUnboundClaim = async (claim: PersistentVolumeClaim): Promise<void> => {
    const className = claimClass(claim);
    const sc = className ? (classes.find(undefined, className)?.object as StorageClass | undefined) : undefined;
    const delayBinding = sc?.volumeBindingMode === BINDING_WAIT_FOR_FIRST_CONSUMER;
    const volumeName = claim.spec?.volumeName;
    if (!volumeName) {
      const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
      const nodeLabels = selectedNode ? ((registry.forKind('', 'Node').find(undefined, selectedNode)?.object.metadata.labels ?? {}) as Record<string, string>) : undefined;
      const match = findBestMatch(claim, volumes.cachedObjects(), delayBinding, selectedNode, nodeLabels);
      if (match) return bind(match, claim);
      if (delayBinding && !selectedNode) {
        await events.record(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      } else if (className) {
        if (!sc) await events.record(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
        else await provision(claim, sc);
      } else {
        await events.record(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      }
      if (claim.status?.phase !== 'Pending') await setClaimStatus(claim, { phase: 'Pending' });
      return;
    }
    const pv = volumes.find(undefined, volumeName)?.object as PersistentVolume | undefined;
    if (!pv) {
      if (claim.status?.phase !== 'Pending') await setClaimStatus(claim, { phase: 'Pending' });
      return;
    }
    if (!pv.spec?.claimRef) {
      const mismatch = volumeMismatch(pv, claim);
      if (mismatch) {
        await events.record(claim, 'Warning', 'VolumeMismatch', `Cannot bind to requested volume "${volumeName}": ${mismatch}`);
        return;
      }
      return bind(pv, claim);
    }
    if (boundToClaim(pv, claim)) return bind(pv, claim);
    await events.record(claim, 'Warning', 'FailedBinding', `volume "${volumeName}" already bound to a different claim.`);
    if (claim.status?.phase !== 'Pending') await setClaimStatus(claim, { phase: 'Pending' });
  };

  const syncBoundClaim = async (claim: PersistentVolumeClaim): Promise<void> => {
    const volumeName = claim.spec?.volumeName;
    const lost = async (reason: string, message: string) => {
      if (claim.status?.phase === 'Lost') return;
      await setClaimStatus(claim, { phase: 'Lost' });
      await events.record(claim, 'Warning', reason, message);
    };
    if (!volumeName) return lost('ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
    const pv = volumes.find(undefined, volumeName)?.object as PersistentVolume | undefined;
    if (!pv) return lost('ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
    const ref = pv.spec?.claimRef;
    if (ref && ref.uid !== claim.metadata.uid) return lost('ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    if (!ref || claim.status?.phase !== 'Bound' || pv.status?.phase !== 'Bound') return bind(pv, claim);
    await resizeIfAsked(claim, pv);
  };

  /** Expansion of a bound claim of a class that allows it: the volume grows, then the claim's capacity. */
  const resizeIfAsked = async (claim: PersistentVolumeClaim, pv: PersistentVolume): Promise<void> => {
    const requested = storageOf(claim.spec?.resources?.requests);
    const capacity = storageOf(claim.status?.capacity);
    if (!requested || !capacity || compareQuantities(requested, capacity) <= 0) return;
    const sc = classes.find(undefined, claimClass(claim))?.object as StorageClass | undefined;
    if (!sc?.allowVolumeExpansion || sc.provisioner !== HOSTPATH_PROVISIONER) return;
    const size = claim.spec!.resources!.requests!.storage;
    await provisionerEvents.record(claim, 'Normal', 'Resizing', `External resizer is resizing volume ${pv.metadata.name}`);
    await volumes.guaranteedUpdate(undefined, pv.metadata.name!, (latest) => ({ ...latest, spec: { ...latest.spec, capacity: { ...latest.spec?.capacity, storage: size } } }), CONTROLLER_WRITE);
    await setClaimStatus(claim, { capacity: { ...claim.status?.capacity, storage: size }, allocatedResources: { storage: size } });
    await events.record(claim, 'Normal', 'FileSystemResizeSuccessful', `MountVolume.NodeExpandVolume succeeded for volume "${pv.metadata.name}"`);
  };

  const syncClaim = async (namespace: string, name: string): Promise<void> => {
    const claim = claims.find(namespace, name)?.object as PersistentVolumeClaim | undefined;
    if (!claim) return;
    if (claim.metadata.deletionTimestamp) {
      if (!claimInUse(claim)) await removeFinalizer(claims, claim, PVC_PROTECTION_FINALIZER);
      return;
    }
    if (claim.metadata.annotations?.[ANN_BIND_COMPLETED] === 'yes') await syncBoundClaim(claim);
    else await syncUnboundClaim(claim);
  };

  // ---------------------------------------------------------------- volumes

  /** reclaimVolume: what the reclaim policy does with a volume whose claim is gone. */
  const reclaim = async (pv: PersistentVolume): Promise<void> => {
    switch (pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain') {
      case 'Retain':
        return;
      case 'Recycle':
        await volumes.guaranteedUpdate(
          undefined,
          pv.metadata.name!,
          (latest) => {
            delete latest.spec?.claimRef;
            if (latest.metadata.annotations) delete latest.metadata.annotations[ANN_BOUND_BY_CONTROLLER];
            return latest;
          },
          CONTROLLER_WRITE,
        );
        await events.record(pv, 'Normal', 'RecycleSuccessful', `Recycle of volume "${pv.metadata.name}" succeeded`);
        return;
      case 'Delete': {
        if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== HOSTPATH_PROVISIONER) {
          const message = `error getting deleter volume plugin for volume "${pv.metadata.name}": no deletable volume plugin matched`;
          await setVolumePhase(pv, 'Failed', message);
          await events.record(pv, 'Warning', 'VolumeFailedDelete', message);
          return;
        }
        await ignoreGone(volumes.delete(undefined, pv.metadata.name!));
        return;
      }
    }
  };

  const syncVolume = async (name: string): Promise<void> => {
    const pv = volumes.find(undefined, name)?.object as PersistentVolume | undefined;
    if (!pv) return;
    if (pv.metadata.deletionTimestamp) {
      if (pv.status?.phase !== 'Bound') await removeFinalizer(volumes, pv, PV_PROTECTION_FINALIZER);
      return;
    }
    const ref = pv.spec?.claimRef;
    if (!ref) {
      if (pv.status?.phase !== 'Available') await setVolumePhase(pv, 'Available');
      return;
    }
    if (!ref.uid) {
      // Pre-bound by its author to a claim that has not bound yet: the claim's sync does the rest.
      if (pv.status?.phase !== 'Available') await setVolumePhase(pv, 'Available');
      return;
    }
    const found = claims.find(ref.namespace, ref.name ?? '')?.object as PersistentVolumeClaim | undefined;
    const claim = found?.metadata.uid === ref.uid ? found : undefined;
    if (!claim) {
      if (pv.status?.phase === 'Failed') return;
      if (pv.status?.phase !== 'Released') await setVolumePhase(pv, 'Released');
      const latest = volumes.find(undefined, name)?.object as PersistentVolume | undefined;
      if (latest) await reclaim(latest);
      return;
    }
    if (!claim.spec?.volumeName) return; // The claim's sync binds it.
    if (claim.spec.volumeName === name) {
      if (pv.status?.phase !== 'Bound') await setVolumePhase(pv, 'Bound');
      return;
    }
    // The claim went to another volume: a volume the controller bound is freed again.
    if (pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === 'yes') {
      await volumes.guaranteedUpdate(
        undefined,
        name,
        (latest) => {
          delete latest.spec?.claimRef;
          delete latest.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER];
          return latest;
        },
        CONTROLLER_WRITE,
      );
    }
  };

  return {
    name: COMPONENT,
    watches: [
      { group: '', kind: 'PersistentVolumeClaim', keysFor: (obj) => [claimKey(obj.metadata.namespace, obj.metadata.name!)], keysForDeleted: (obj) => {
        const claim = obj as PersistentVolumeClaim;
        // The volume it was bound to is released.
        const keys: string[] = [];
        for (const pv of volumes.cachedObjects()) if (pv.spec?.claimRef?.uid === claim.metadata.uid) keys.push(volumeKey(pv.metadata.name!));
        return keys;
      } },
      {
        group: '',
        kind: 'PersistentVolume',
        keysFor: (obj) => {
          const ref = (obj as PersistentVolume).spec?.claimRef;
          const keys = [volumeKey(obj.metadata.name!)];
          if (ref?.name) keys.push(claimKey(ref.namespace, ref.name));
          else keys.push(...pendingClaimKeys());
          return keys;
        },
        keysForDeleted: (obj) => {
          const ref = (obj as PersistentVolume).spec?.claimRef;
          return ref?.name ? [claimKey(ref.namespace, ref.name)] : [];
        },
      },
      { group: 'storage.k8s.io', kind: 'StorageClass', keysFor: pendingClaimKeys },
      {
        group: '',
        kind: 'Pod',
        // A claim being deleted waits for the pods that use it.
        keysFor: (obj) => {
          const pod = obj as Pod;
          const phase = pod.status?.phase;
          if (phase !== 'Succeeded' && phase !== 'Failed') return [];
          return claimNamesOf(pod).map((name) => claimKey(pod.metadata.namespace, name));
        },
        keysForDeleted: (obj) => claimNamesOf(obj as Pod).map((name) => claimKey(obj.metadata.namespace, name)),
      },
    ],
    async reconcile(key): Promise<ReconcileResult | void> {
      if (key.startsWith(CLAIM_PREFIX)) {
        const rest = key.slice(CLAIM_PREFIX.length);
        const slash = rest.indexOf('/');
        await syncClaim(rest.slice(0, slash), rest.slice(slash + 1));
      } else if (key.startsWith(VOLUME_PREFIX)) {
        await syncVolume(key.slice(VOLUME_PREFIX.length));
      }
    },
  };
});
