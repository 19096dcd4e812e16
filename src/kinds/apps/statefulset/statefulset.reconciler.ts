/**
 * The statefulset controller (pkg/controller/statefulset): pods `<set>-<ordinal>` with the set's
 * service as their subdomain and claims `<template>-<set>-<ordinal>` made from the claim templates
 * before the pod. OrderedReady sets create pod n only once 0..n-1 are Running and Ready and remove
 * pods from the highest ordinal, one at a time; Parallel sets do both at once. A RollingUpdate
 * replaces pods from the highest ordinal down to the partition, one at a time, each once the
 * others are healthy; OnDelete leaves that to the user. Templates are kept as ControllerRevisions,
 * and pods carry their revision's name in controller-revision-hash.
 */
import { claimDependents, CONTROLLER_WRITE, controllerOf, newControllerRef } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, objectKey, splitKey, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import { parseApiVersion, type KubeObject } from '../../../machinery/meta/types';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { deepEqual } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import type { PersistentVolumeClaim } from '../../core/persistentvolume/persistentvolume.types';
import type { Pod } from '../../core/pod/pod.types';
import type { ControllerRevision } from '../controllerrevision/controllerrevision.types';
import { RevisionHistory, templateOfRevision } from '../controllerrevision/history';
import type { PodTemplateSpec } from '../pod-template';
import { isPodAvailable, isPodReady } from '../replicaset/replica-manager';
import { CONTROLLER_REVISION_HASH_LABEL, POD_INDEX_LABEL, POD_NAME_LABEL, REVISION_HASH_LABEL, type StatefulSet, type StatefulSetStatus } from './statefulset.types';

const COMPONENT = 'statefulset-controller';

/** getParentNameAndOrdinal: `<set>-<n>` → n, or -1 for a name that is not one of the set's. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number {
  const prefix = `${set.metadata.name}-`;
  const name = pod.metadata.name ?? '';
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : -1;
}

export function claimName(template: PersistentVolumeClaim, set: KubeObject, ordinal: number): string {
  return `${template.metadata.name}-${set.metadata.name}-${ordinal}`;
}

const isTerminating = (pod: Pod) => pod.metadata.deletionTimestamp !== undefined;
const isFinished = (pod: Pod) => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
const isCreated = (pod: Pod) => !!pod.status?.phase;
const isRunningAndReady = (pod: Pod) => pod.status?.phase === 'Running' && isPodReady(pod);
const isHealthy = (pod: Pod) => isRunningAndReady(pod) && !isTerminating(pod);

/** newStatefulSetPod: the template's pod with the set's identity, storage and revision. */
export function statefulPod(set: StatefulSet, template: PodTemplateSpec | undefined, revision: string, ordinal: number): Pod {
  const name = `${set.metadata.name}-${ordinal}`;
  const spec = structuredClone(template?.spec ?? {});
  spec.hostname = name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
  // Claim volumes replace template volumes of the same name.
  const claimVolumes = (set.spec?.volumeClaimTemplates ?? []).map((claim) => ({ name: claim.metadata.name, persistentVolumeClaim: { claimName: claimName(claim, set, ordinal) } }));
  const claimNames = new Set(claimVolumes.map((v) => v.name));
  const volumes = [...(spec.volumes ?? []).filter((v) => !claimNames.has(v.name)), ...claimVolumes];
  if (volumes.length) spec.volumes = volumes;
  const meta = template?.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels: { ...meta.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [newControllerRef(set)],
    },
    spec,
  };
}

export const statefulSetReconciler = defineReconciler((registry, clock) => {
  const sets = registry.forKind<StatefulSet>('apps', 'StatefulSet');
  const pods = registry.forKind<Pod>('', 'Pod');
  const claims = registry.forKind<PersistentVolumeClaim>('', 'PersistentVolumeClaim');
  const history = new RevisionHistory(registry, REVISION_HASH_LABEL);
  const events = new EventRecorder(registry, clock, { component: COMPONENT });
  /** namespace → set name → selector, for orphan pods. */
  const selectors = new Map<string, Map<string, LabelSelector>>();

  const index = (set: StatefulSet, removed: boolean): string[] => {
    const namespace = set.metadata.namespace ?? '';
    let byName = selectors.get(namespace);
    if (removed) byName?.delete(set.metadata.name!);
    else {
      if (!byName) selectors.set(namespace, (byName = new Map()));
      try {
        byName.set(set.metadata.name!, LabelSelector.fromObject(set.spec?.selector));
      } catch {
        byName.delete(set.metadata.name!);
      }
    }
    return [objectKey(set)];
  };

  const setsOfPod = (pod: KubeObject): string[] => {
    const namespace = pod.metadata.namespace ?? '';
    const ref = controllerOf(pod);
    if (ref) return ref.kind === 'StatefulSet' && parseApiVersion(ref.apiVersion).group === 'apps' ? [`${namespace}/${ref.name}`] : [];
    return [...(selectors.get(namespace) ?? [])].filter(([, s]) => s.matches(pod.metadata.labels)).map(([name]) => `${namespace}/${name}`);
  };

  /** createMissingPersistentVolumeClaims: the pod's claims, made from the templates when absent. */
  const ensureClaims = async (set: StatefulSet, podName: string, ordinal: number): Promise<void> => {
    const whenDeleted = set.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain';
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const name = claimName(template, set, ordinal);
      const existing = claims.find(set.metadata.namespace, name)?.object as PersistentVolumeClaim | undefined;
      if (existing) {
        if (existing.metadata.deletionTimestamp) throw new Error(`pvc ${name} is being deleted`);
        continue;
      }
      const claim: PersistentVolumeClaim = {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name,
          namespace: set.metadata.namespace,
          labels: { ...template.metadata.labels, ...set.spec?.selector?.matchLabels },
          ...(template.metadata.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
          ...(whenDeleted === 'Delete' ? { ownerReferences: [newControllerRef(set)] } : {}),
        },
        spec: structuredClone(template.spec ?? {}),
      };
      try {
        await claims.create(set.metadata.namespace, claim, CONTROLLER_WRITE);
        await events.record(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${set.metadata.name} success`);
      } catch (err) {
        if (err instanceof StatusError && err.reason === 'AlreadyExists') continue;
        await events.record(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${podName} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
        throw err;
      }
    }
  };

  const createPod = async (set: StatefulSet, pod: Pod, ordinal: number): Promise<void> => {
    await ensureClaims(set, pod.metadata.name!, ordinal);
    try {
      await pods.create(set.metadata.namespace, pod, CONTROLLER_WRITE);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'AlreadyExists') return;
      await events.record(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
    await events.record(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  };

  const deletePod = async (set: StatefulSet, pod: Pod): Promise<void> => {
    try {
      await pods.delete(pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return;
      await events.record(set, 'Warning', 'FailedDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${(err as Error).message}`);
      throw err;
    }
    await events.record(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  };

  /** whenScaled: Delete hands a condemned pod's claims to the pod, so they go with it. */
  const releaseClaimsToPod = async (set: StatefulSet, pod: Pod, ordinal: number): Promise<void> => {
    if (set.spec?.persistentVolumeClaimRetentionPolicy?.whenScaled !== 'Delete') return;
    for (const template of set.spec.volumeClaimTemplates ?? []) {
      const name = claimName(template, set, ordinal);
      if (!claims.find(set.metadata.namespace, name)) continue;
      await claims.guaranteedUpdate(set.metadata.namespace, name, (claim) => {
        const refs = (claim.metadata.ownerReferences ?? []).filter((r) => r.uid !== set.metadata.uid);
        if (!refs.some((r) => r.uid === pod.metadata.uid)) refs.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, controller: false, blockOwnerDeletion: true });
        claim.metadata.ownerReferences = refs;
        return claim;
      }, CONTROLLER_WRITE);
    }
  };

  const writeStatus = async (set: StatefulSet, status: StatefulSetStatus): Promise<void> => {
    // Go's omitempty: replicas and availableReplicas always, the rest when set.
    const wire: StatefulSetStatus = { replicas: status.replicas ?? 0 };
    if (status.observedGeneration) wire.observedGeneration = status.observedGeneration;
    if (status.readyReplicas) wire.readyReplicas = status.readyReplicas;
    if (status.currentReplicas) wire.currentReplicas = status.currentReplicas;
    if (status.updatedReplicas) wire.updatedReplicas = status.updatedReplicas;
    if (status.currentRevision) wire.currentRevision = status.currentRevision;
    if (status.updateRevision) wire.updateRevision = status.updateRevision;
    wire.collisionCount = status.collisionCount ?? 0;
    if (set.status?.conditions?.length) wire.conditions = set.status.conditions;
    wire.availableReplicas = status.availableReplicas ?? 0;
    if (deepEqual(wire, set.status ?? {})) return;
    try {
      await sets.guaranteedUpdate(set.metadata.namespace, set.metadata.name!, (latest) => ({ ...latest, status: wire }), CONTROLLER_WRITE, 'status');
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  };

  return {
    name: COMPONENT,
    watches: [
      { group: 'apps', kind: 'StatefulSet', keysFor: (obj) => index(obj as StatefulSet, false), keysForDeleted: (obj) => index(obj as StatefulSet, true) },
      { group: '', kind: 'Pod', keysFor: setsOfPod },
    ],
    async reconcile(key): Promise<ReconcileResult | void> {
      const { namespace, name } = splitKey(key);
      const set = sets.find(namespace, name)?.object as StatefulSet | undefined;
      if (!set || set.metadata.deletionTimestamp) return;
      let selector: LabelSelector;
      try {
        selector = LabelSelector.fromObject(set.spec?.selector);
      } catch {
        return;
      }
      const { items } = await pods.list(namespace, defaultListOptions());
      // A pod belongs to the set by selector and by a name of the set's.
      const owned = await claimDependents(set, (pod) => selector.matches(pod.metadata.labels) && ordinalOf(set, pod) >= 0, items.map((e) => e.object as Pod), pods);

      const revisions = await history.list(set, selector);
      const { all, update: updateRevision, collisionCount } = await history.ensure(set, revisions);
      const currentRevision = all.find((r) => r.metadata.name === set.status?.currentRevision) ?? updateRevision;

      const start = set.spec?.ordinals?.start ?? 0;
      const replicaCount = set.spec?.replicas ?? 1;
      const replicas: (Pod | undefined)[] = new Array(replicaCount).fill(undefined);
      const condemned: Pod[] = [];
      for (const pod of owned) {
        const ordinal = ordinalOf(set, pod);
        if (ordinal >= start && ordinal < start + replicaCount) replicas[ordinal - start] = pod;
        else condemned.push(pod);
      }
      condemned.sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
      const monotonic = (set.spec?.podManagementPolicy ?? 'OrderedReady') !== 'Parallel';
      const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
      const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;

      /** newVersionedStatefulSetPod: ordinals below the partition keep the current revision. */
      const versionFor = (ordinal: number): ControllerRevision =>
        rolling && currentRevision !== updateRevision && ordinal < start + partition ? currentRevision : updateRevision;

      const manage = async (): Promise<void> => {
        for (let i = 0; i < replicaCount; i++) {
          const ordinal = start + i;
          let pod = replicas[i];
          if (pod && isFinished(pod) && !isTerminating(pod)) {
            // A failed (or finished) pod is replaced under the same name.
            await deletePod(set, pod);
            replicas[i] = pod = undefined;
            if (monotonic) return;
            continue;
          }
          if (!pod) {
            const revision = versionFor(ordinal);
            await createPod(set, statefulPod(set, templateOfRevision(revision) ?? set.spec?.template, revision.metadata.name!, ordinal), ordinal);
            if (monotonic) return;
            continue;
          }
          if (monotonic && !isHealthy(pod)) return;
        }
        if (replicas.some((pod) => !pod || !isHealthy(pod)) && monotonic) return;
        for (const pod of condemned) {
          if (isTerminating(pod)) {
            if (monotonic) return;
            continue;
          }
          await releaseClaimsToPod(set, pod, ordinalOf(set, pod));
          await deletePod(set, pod);
          if (monotonic) return;
        }
        if (!rolling) return;
        // Updates wait for a steady set, then replace the highest stale pod at or above the partition.
        if (condemned.length || replicas.some((pod) => !pod || !isHealthy(pod))) return;
        for (let i = replicaCount - 1; i >= partition; i--) {
          const pod = replicas[i]!;
          if (pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== updateRevision.metadata.name) {
            await deletePod(set, pod);
            return;
          }
        }
      };

      let manageError: unknown;
      if (!set.metadata.deletionTimestamp) {
        try {
          await manage();
        } catch (err) {
          manageError = err;
        }
      }

      // The status counts the pods as they are after this pass.
      const now = clock.now();
      const current = (await pods.list(namespace, defaultListOptions())).items
        .map((e) => e.object as Pod)
        .filter((pod) => controllerOf(pod)?.uid === set.metadata.uid && ordinalOf(set, pod) >= 0);
      const minReadySeconds = set.spec?.minReadySeconds ?? 0;
      const status: StatefulSetStatus = {
        observedGeneration: set.metadata.generation,
        replicas: 0,
        readyReplicas: 0,
        availableReplicas: 0,
        currentReplicas: 0,
        updatedReplicas: 0,
        currentRevision: currentRevision.metadata.name,
        updateRevision: updateRevision.metadata.name,
        collisionCount,
      };
      for (const pod of current) {
        if (isCreated(pod)) status.replicas!++;
        if (isRunningAndReady(pod) && !isTerminating(pod)) {
          status.readyReplicas!++;
          if (isPodAvailable(pod, minReadySeconds, now)) status.availableReplicas!++;
        }
        if (isCreated(pod) && !isTerminating(pod)) {
          const revision = pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
          if (revision === currentRevision.metadata.name) status.currentReplicas!++;
          if (revision === updateRevision.metadata.name) status.updatedReplicas!++;
        }
      }
      // completeRollingUpdate: every pod updated and ready makes the update revision current.
      if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas && status.replicas === replicaCount) {
        status.currentRevision = status.updateRevision;
        status.currentReplicas = status.updatedReplicas;
      }
      await writeStatus(set, status);

      const inUse = new Set([status.currentRevision!, status.updateRevision!]);
      for (const pod of current) {
        const revision = pod.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];
        if (revision) inUse.add(revision);
      }
      await history.truncate(set, all, inUse);
      if (manageError) throw manageError;
      if (minReadySeconds > 0 && status.availableReplicas !== status.readyReplicas) return { requeueAfterMs: minReadySeconds * 1000 };
    },
  };
});
