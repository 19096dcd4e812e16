/**
 * The daemonset controller (pkg/controller/daemon): one pod on every node the template's node
 * selector and affinity admit and whose NoSchedule/NoExecute taints it tolerates (with the
 * tolerations every daemon pod gets). Pods are made with a required node affinity on the node's
 * name (matchFields metadata.name), and the scheduler places them. A RollingUpdate replaces pods of
 * older templates within maxUnavailable (or, with maxSurge, starts the new pod first); OnDelete
 * leaves that to the user. Templates are kept as ControllerRevisions; pods carry the revision's
 * hash in controller-revision-hash.
 */
import { claimDependents, CONTROLLER_WRITE, controllerOf, newControllerRef } from '../../../controller-runtime/controller-ref';
import { EventRecorder } from '../../../controller-runtime/event-recorder';
import { defineReconciler, objectKey, splitKey, type ReconcileResult } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import { parseApiVersion, type KubeObject } from '../../../machinery/meta/types';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { deepEqual } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import { tolerates } from '../../../machinery/selectors/node-selector';
import { matchesNodeAffinity, type Node } from '../../../simulation/scheduler';
import type { Pod, PodSpec, Toleration } from '../../core/pod/pod.types';
import { RevisionHistory } from '../controllerrevision/history';
import type { IntOrString } from '../deployment/deployment.types';
import type { PodTemplateSpec } from '../pod-template';
import { isPodAvailable, isPodReady } from '../replicaset/replica-manager';
import { REVISION_HASH_LABEL, TEMPLATE_GENERATION_ANNOTATION, TEMPLATE_GENERATION_LABEL, type DaemonSet, type DaemonSetStatus } from './daemonset.types';

const COMPONENT = 'daemonset-controller';

/** AddOrUpdateDaemonPodTolerations: daemon pods stay through node conditions that evict others. */
function daemonTolerations(spec: PodSpec): Toleration[] {
  const wanted: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) wanted.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const tolerations = [...(spec.tolerations ?? [])];
  for (const toleration of wanted) {
    const index = tolerations.findIndex((t) => t.key === toleration.key && t.effect === toleration.effect);
    if (index >= 0) tolerations[index] = toleration;
    else tolerations.push(toleration);
  }
  return tolerations;
}

interface NodeSelectorTerm {
  matchExpressions?: unknown[];
  matchFields?: unknown[];
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the pod may only go to this node. */
function pinnedAffinity(affinity: Record<string, unknown> | undefined, nodeName: string): Record<string, unknown> {
  const field = { key: 'metadata.name', operator: 'In', values: [nodeName] };
  const nodeAffinity = { ...((affinity?.nodeAffinity as Record<string, unknown> | undefined) ?? {}) };
  const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: NodeSelectorTerm[] } | undefined;
  const terms = required?.nodeSelectorTerms?.length ? required.nodeSelectorTerms.map((term) => ({ ...term, matchFields: [field] })) : [{ matchFields: [field] }];
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: terms };
  return { ...affinity, nodeAffinity };
}

/** The pod a daemon set runs on a node. */
export function daemonPod(ds: DaemonSet, template: PodTemplateSpec | undefined, hash: string, nodeName: string): Pod {
  const spec = structuredClone(template?.spec ?? {});
  spec.tolerations = daemonTolerations(spec);
  spec.affinity = pinnedAffinity(spec.affinity, nodeName);
  const meta = template?.metadata ?? {};
  const generation = ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata.name}-`,
      namespace: ds.metadata.namespace,
      labels: { ...meta.labels, [REVISION_HASH_LABEL]: hash, ...(generation ? { [TEMPLATE_GENERATION_LABEL]: generation } : {}) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [newControllerRef(ds)],
    },
    spec,
  };
}

/** GetTargetNodeName: where the pod runs, or the node its affinity pins it to. */
function targetNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = ((pod.spec?.affinity?.nodeAffinity as Record<string, unknown> | undefined)?.requiredDuringSchedulingIgnoredDuringExecution as { nodeSelectorTerms?: { matchFields?: { key?: string; operator?: string; values?: string[] }[] }[] } | undefined)?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const field of term.matchFields ?? []) if (field.key === 'metadata.name' && field.operator === 'In' && field.values?.length === 1) return field.values[0];
  }
  return undefined;
}

/**
 * NodeShouldRunDaemonPod: whether a new pod belongs on the node (shouldRun), and whether one
 * already there may stay (shouldContinueRunning: only untolerated NoExecute taints evict).
 */
export function nodeVerdict(pod: Pod, node: Node): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (node.metadata.deletionTimestamp || !matchesNodeAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = pod.spec?.tolerations;
  if (taints.some((t) => t.effect === 'NoExecute' && !tolerates(tolerations, t))) return { shouldRun: false, shouldContinueRunning: false };
  if (taints.some((t) => t.effect === 'NoSchedule' && !tolerates(tolerations, t))) return { shouldRun: false, shouldContinueRunning: true };
  return { shouldRun: true, shouldContinueRunning: true };
}

/** intstr.GetScaledValueFromIntOrPercent, rounding up as the daemon controller does. */
function scaled(value: IntOrString | undefined, total: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.endsWith('%')) return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  return 0;
}

export const daemonSetReconciler = defineReconciler((registry, clock) => {
  const daemonSets = registry.forKind<DaemonSet>('apps', 'DaemonSet');
  const pods = registry.forKind<Pod>('', 'Pod');
  const nodes = registry.forKind<Node>('', 'Node');
  const history = new RevisionHistory(registry, REVISION_HASH_LABEL);
  const events = new EventRecorder(registry, clock, { component: COMPONENT });
  const selectors = new Map<string, Map<string, LabelSelector>>();

  const index = (ds: DaemonSet, removed: boolean): string[] => {
    const namespace = ds.metadata.namespace ?? '';
    let byName = selectors.get(namespace);
    if (removed) byName?.delete(ds.metadata.name!);
    else {
      if (!byName) selectors.set(namespace, (byName = new Map()));
      try {
        byName.set(ds.metadata.name!, LabelSelector.fromObject(ds.spec?.selector));
      } catch {
        byName.delete(ds.metadata.name!);
      }
    }
    return [objectKey(ds)];
  };

  const daemonSetsOfPod = (pod: KubeObject): string[] => {
    const namespace = pod.metadata.namespace ?? '';
    const ref = controllerOf(pod);
    if (ref) return ref.kind === 'DaemonSet' && parseApiVersion(ref.apiVersion).group === 'apps' ? [`${namespace}/${ref.name}`] : [];
    return [...(selectors.get(namespace) ?? [])].filter(([, s]) => s.matches(pod.metadata.labels)).map(([name]) => `${namespace}/${name}`);
  };

  const everyDaemonSet = (): string[] => {
    const keys: string[] = [];
    for (const [namespace, byName] of selectors) for (const name of byName.keys()) keys.push(`${namespace}/${name}`);
    return keys;
  };

  const createPod = async (ds: DaemonSet, template: PodTemplateSpec | undefined, hash: string, nodeName: string): Promise<void> => {
    try {
      const { object } = await pods.create(ds.metadata.namespace, daemonPod(ds, template, hash, nodeName), CONTROLLER_WRITE);
      await events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${object.metadata.name}`);
    } catch (err) {
      await events.record(ds, 'Warning', 'FailedCreate', `Error creating: ${(err as Error).message}`);
      throw err;
    }
  };

  const deletePod = async (ds: DaemonSet, pod: Pod): Promise<void> => {
    try {
      await pods.delete(pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return;
      await events.record(ds, 'Warning', 'FailedDelete', `Error deleting: ${(err as Error).message}`);
      throw err;
    }
    await events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  };

  return {
    name: COMPONENT,
    watches: [
      { group: 'apps', kind: 'DaemonSet', keysFor: (obj) => index(obj as DaemonSet, false), keysForDeleted: (obj) => index(obj as DaemonSet, true) },
      { group: '', kind: 'Pod', keysFor: daemonSetsOfPod },
      { group: '', kind: 'Node', keysFor: everyDaemonSet, keysForDeleted: everyDaemonSet },
    ],
    async reconcile(key): Promise<ReconcileResult | void> {
      const { namespace, name } = splitKey(key);
      const ds = daemonSets.find(namespace, name)?.object as DaemonSet | undefined;
      if (!ds || ds.metadata.deletionTimestamp) return;
      let selector: LabelSelector;
      try {
        selector = LabelSelector.fromObject(ds.spec?.selector);
      } catch {
        return;
      }
      const revisions = await history.list(ds, selector);
      const { all, update, collisionCount } = await history.ensure(ds, revisions);
      const hash = update.metadata.labels?.[REVISION_HASH_LABEL] ?? '';
      const template = ds.spec?.template;
      const now = clock.now();
      const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
      const available = (pod: Pod) => isPodAvailable(pod, minReadySeconds, now);
      const isCurrent = (pod: Pod) => pod.metadata.labels?.[REVISION_HASH_LABEL] === hash;

      const { items } = await pods.list(namespace, defaultListOptions());
      const owned = await claimDependents(ds, (pod) => selector.matches(pod.metadata.labels), items.map((e) => e.object as Pod), pods);
      const byNode = new Map<string, Pod[]>();
      for (const pod of owned) {
        const node = targetNode(pod);
        if (!node) continue;
        byNode.set(node, [...(byNode.get(node) ?? []), pod]);
      }
      const allNodes = (await nodes.list(undefined, defaultListOptions())).items.map((e) => e.object as Node);
      // The node checks see the pod as it would be created: with the daemon tolerations.
      const probe = daemonPod(ds, template, hash, '');
      probe.spec!.affinity = template?.spec?.affinity;

      let manageError: unknown;
      const manage = async (): Promise<void> => {
        const shouldRunOn = new Set<string>();
        for (const node of allNodes) {
          const nodeName = node.metadata.name!;
          const { shouldRun, shouldContinueRunning } = nodeVerdict(probe, node);
          if (shouldRun) shouldRunOn.add(nodeName);
          const here = (byNode.get(nodeName) ?? []).filter((pod) => !pod.metadata.deletionTimestamp);
          // A pod still terminating on the node is waited for before its replacement starts.
          if (shouldRun && (byNode.get(nodeName) ?? []).length === 0) {
            await createPod(ds, template, hash, nodeName);
          } else if (shouldContinueRunning) {
            for (const pod of here.filter((p) => p.status?.phase === 'Failed')) {
              await events.record(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`);
              await deletePod(ds, pod);
            }
            // More than one pod on a node: the oldest stays (a surge pod pairs with its old one below).
            const running = here.filter((p) => p.status?.phase !== 'Failed');
            const surge = scaled(ds.spec?.updateStrategy?.rollingUpdate?.maxSurge, 1) > 0;
            if (running.length > 1 && !(surge && running.length === 2 && running.some(isCurrent) && running.some((p) => !isCurrent(p)))) {
              const sorted = [...running].sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''));
              for (const extra of sorted.slice(1)) await deletePod(ds, extra);
            }
          } else {
            for (const pod of here) await deletePod(ds, pod);
          }
        }
        for (const [nodeName, here] of byNode) {
          if (allNodes.some((n) => n.metadata.name === nodeName)) continue;
          for (const pod of here.filter((p) => !p.metadata.deletionTimestamp)) await deletePod(ds, pod);
        }
        if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
        await rollingUpdate([...shouldRunOn]);
      };

      /** rollingUpdate: old pods go within maxUnavailable, or new pods start beside them within maxSurge. */
      const rollingUpdate = async (eligible: string[]): Promise<void> => {
        const rolling = ds.spec?.updateStrategy?.rollingUpdate ?? {};
        const desired = eligible.length;
        const maxSurge = scaled(rolling.maxSurge, desired);
        const maxUnavailable = maxSurge > 0 ? 0 : Math.max(scaled(rolling.maxUnavailable, desired), 0);
        const onNode = (nodeName: string) => (byNode.get(nodeName) ?? []).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed');
        if (maxSurge > 0) {
          let surging = eligible.filter((n) => onNode(n).some(isCurrent) && onNode(n).some((p) => !isCurrent(p))).length;
          for (const nodeName of eligible) {
            const here = onNode(nodeName);
            const fresh = here.find(isCurrent);
            const old = here.filter((p) => !isCurrent(p));
            if (!old.length) continue;
            if (fresh && available(fresh)) {
              for (const pod of old) await deletePod(ds, pod);
            } else if (!fresh && surging < maxSurge) {
              await createPod(ds, template, hash, nodeName);
              surging++;
            }
          }
          return;
        }
        let unavailable = eligible.filter((n) => !onNode(n).some(available)).length;
        for (const nodeName of eligible) {
          const old = onNode(nodeName).filter((p) => !isCurrent(p));
          if (!old.length) continue;
          const oldAvailable = old.some(available);
          // An old pod that is not available anyway can go at once; an available one only within the budget.
          if (!oldAvailable) {
            for (const pod of old) await deletePod(ds, pod);
          } else if (unavailable < maxUnavailable) {
            for (const pod of old) await deletePod(ds, pod);
            unavailable++;
          }
        }
      };

      try {
        await manage();
      } catch (err) {
        manageError = err;
      }

      // Status from the pods as they stand after this pass.
      const current = (await pods.list(namespace, defaultListOptions())).items
        .map((e) => e.object as Pod)
        .filter((pod) => controllerOf(pod)?.uid === ds.metadata.uid);
      const status: Required<Pick<DaemonSetStatus, 'currentNumberScheduled' | 'numberMisscheduled' | 'desiredNumberScheduled' | 'numberReady' | 'updatedNumberScheduled' | 'numberAvailable'>> = {
        currentNumberScheduled: 0,
        numberMisscheduled: 0,
        desiredNumberScheduled: 0,
        numberReady: 0,
        updatedNumberScheduled: 0,
        numberAvailable: 0,
      };
      let waitForAvailable = false;
      for (const node of allNodes) {
        const here = current.filter((pod) => targetNode(pod) === node.metadata.name && !pod.metadata.deletionTimestamp);
        const { shouldRun } = nodeVerdict(probe, node);
        if (shouldRun) {
          status.desiredNumberScheduled++;
          if (!here.length) continue;
          status.currentNumberScheduled++;
          const newest = [...here].sort((a, b) => Date.parse(b.metadata.creationTimestamp ?? '') - Date.parse(a.metadata.creationTimestamp ?? ''))[0];
          if (isPodReady(newest)) {
            status.numberReady++;
            if (available(newest)) status.numberAvailable++;
            else waitForAvailable = true;
          }
          if (isCurrent(newest)) status.updatedNumberScheduled++;
        } else if (here.length) {
          status.numberMisscheduled++;
        }
      }
      const wire: DaemonSetStatus = { currentNumberScheduled: status.currentNumberScheduled, numberMisscheduled: status.numberMisscheduled, desiredNumberScheduled: status.desiredNumberScheduled, numberReady: status.numberReady };
      if (ds.metadata.generation) wire.observedGeneration = ds.metadata.generation;
      if (status.updatedNumberScheduled) wire.updatedNumberScheduled = status.updatedNumberScheduled;
      if (status.numberAvailable) wire.numberAvailable = status.numberAvailable;
      const unavailable = status.desiredNumberScheduled - status.numberAvailable;
      if (unavailable > 0) wire.numberUnavailable = unavailable;
      if (collisionCount) wire.collisionCount = collisionCount;
      if (ds.status?.conditions?.length) wire.conditions = ds.status.conditions;
      if (!deepEqual(wire, ds.status ?? {})) {
        try {
          await daemonSets.guaranteedUpdate(namespace, name, (latest) => ({ ...latest, status: wire }), CONTROLLER_WRITE, 'status');
        } catch (err) {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
        }
      }
      const inUse = new Set([update.metadata.name!]);
      for (const rev of all) if (current.some((pod) => pod.metadata.labels?.[REVISION_HASH_LABEL] === rev.metadata.labels?.[REVISION_HASH_LABEL])) inUse.add(rev.metadata.name!);
      await history.truncate(ds, all, inUse);
      if (manageError) throw manageError;
      if (waitForAvailable && minReadySeconds > 0) return { requeueAfterMs: minReadySeconds * 1000 };
    },
  };
});
