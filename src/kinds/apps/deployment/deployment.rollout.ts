/**
 * The arithmetic of a rollout (pkg/controller/deployment/util): the pod-template hash, surge and
 * unavailability fenceposts, revisions and their annotations, replica counts over ReplicaSets and
 * the conditions with their reasons and messages. Pure functions, so the reconciler only reads
 * state and writes the results.
 */
import { deepEqual } from '../../../registry/generic-store';
import type { ReplicaSet } from '../replicaset/replicaset.types';
import type { PodTemplateSpec } from '../pod-template';
import type { Deployment, DeploymentCondition, DeploymentStatus, IntOrString } from './deployment.types';
import { fnv32a, safeEncodeHash, stableText } from '../../../machinery/meta/object-hash';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/** Deployment annotations that are the controller's own and never copied onto ReplicaSets. */
const NOT_COPIED = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION]);

export const REASONS = {
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  rsUpdated: 'ReplicaSetUpdated',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumAvailable: 'MinimumReplicasAvailable',
  minimumUnavailable: 'MinimumReplicasUnavailable',
} as const;

// ---------------------------------------------------------------- hashing

/**
 * ComputeHash: FNV-32a over the template (and the collision count, as four little-endian bytes
 * padded to eight), its decimal digits spelled in the safe alphabet. Upstream feeds the hash Go's
 * %#v dump of the struct; this feeds it stable JSON, so names have the same shape, not the same letters.
 */
export function podTemplateHash(template: PodTemplateSpec | undefined, collisionCount?: number): string {
  let hash = fnv32a(Buffer.from(stableText(template ?? {}), 'utf8'));
  if (collisionCount !== undefined) {
    const count = Buffer.alloc(8);
    count.writeUInt32LE(collisionCount >>> 0, 0);
    hash = fnv32a(count, hash);
  }
  return safeEncodeHash(hash);
}

/** EqualIgnoreHash: the same template once the pod-template-hash label is left out of both. */
export function equalIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined): PodTemplateSpec => {
    const copy = structuredClone(t ?? {});
    if (copy.metadata?.labels) {
      delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
      if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
    }
    return copy;
  };
  return deepEqual(strip(a), strip(b));
}

// ---------------------------------------------------------------- fenceposts

/** intstr.GetScaledValueFromIntOrPercent. */
function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^[0-9]+%$/.test(value)) {
    const scaled = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
  }
  return 0;
}

const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;
const isRollingUpdate = (d: Deployment): boolean => d.spec?.strategy?.type === 'RollingUpdate';

/** ResolveFenceposts: surge rounds up, unavailability down, and both zero means one unavailable. */
function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const rolling = d.spec?.strategy?.rollingUpdate ?? {};
  const replicas = desiredReplicas(d);
  const surge = scaledValue(rolling.maxSurge, replicas, true);
  const unavailable = scaledValue(rolling.maxUnavailable, replicas, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

// ---------------------------------------------------------------- replica counts

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;
export const sumSpecReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatusReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const sumReadyReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
export const sumAvailableReplicas = (sets: readonly (ReplicaSet | undefined)[]): number => sets.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);

/** NewRSNewReplicas: how big the new ReplicaSet may grow in this step. */
export function newReplicaSetReplicas(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return desiredReplicas(d);
  const current = sumSpecReplicas(all);
  const maxTotal = desiredReplicas(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, desiredReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

/** ReplicaSets with pods wanted (FilterActiveReplicaSets). */
export const activeReplicaSets = (sets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] => sets.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);

export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

// ---------------------------------------------------------------- revisions and annotations

export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } } | undefined): number {
  const value = Number(obj?.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
  return Number.isInteger(value) ? value : 0;
}

export const maxRevision = (sets: readonly ReplicaSet[]): number => sets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);

/**
 * SetNewReplicaSetAnnotations: copy the deployment's own annotations, raise the revision (keeping
 * the earlier one in the revision history when a ReplicaSet comes back, i.e. a rollback), and on a
 * fresh ReplicaSet record the desired and maximum replicas. Answers whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  const oldRevisionText = annotations[REVISION_ANNOTATION];
  const oldRevision = Number(oldRevisionText ?? 0) || 0;
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (oldRevisionText) {
      const history = annotations[REVISION_HISTORY_ANNOTATION];
      annotations[REVISION_HISTORY_ANNOTATION] = history ? `${history},${oldRevisionText}` : oldRevisionText;
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  if (annotations[DESIRED_REPLICAS_ANNOTATION] === String(desired) && annotations[MAX_REPLICAS_ANNOTATION] === String(max)) return false;
  annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  annotations[MAX_REPLICAS_ANNOTATION] = String(max);
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata.annotations ?? {};
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max);
}

export function desiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  const text = rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION];
  return text === undefined || !/^-?[0-9]+$/.test(text) ? undefined : Number(text);
}

// ---------------------------------------------------------------- conditions and status

export function condition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function newCondition(type: string, status: string, reason: string, message: string, now: string): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/**
 * SetDeploymentCondition: the same status and reason changes nothing; the same status keeps its
 * transition time; a changed condition moves to the end of the list, as upstream appends it.
 */
export function setCondition(status: DeploymentStatus, next: DeploymentCondition): void {
  const current = condition(status, next.type);
  if (current && current.status === next.status && current.reason === next.reason) return;
  const placed = current && current.status === next.status ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== next.type), placed];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

export const hasProgressDeadline = (d: Deployment): boolean => typeof d.spec?.progressDeadlineSeconds === 'number' && d.spec.progressDeadlineSeconds !== 2147483647;

/** DeploymentComplete: every desired pod updated and available, the newest generation observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = desiredReplicas(d);
  // Zero counts are absent from the status (omitempty), hence the defaults.
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last time. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress reported for progressDeadlineSeconds. */
export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const progressing = condition(status, 'Progressing');
  if (!progressing) return false;
  if (progressing.reason === REASONS.newRSAvailable) return false;
  if (progressing.reason === REASONS.timedOut) return true;
  const from = Date.parse(progressing.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + d.spec!.progressDeadlineSeconds! * 1000 < now.getTime();
}

/** calculateStatus: counts over every ReplicaSet, and the Available condition. */
export function calculateStatus(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now: string): DeploymentStatus {
  const available = sumAvailableReplicas(all);
  const total = sumSpecReplicas(all);
  const counts: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: sumStatusReplicas(all),
    updatedReplicas: sumStatusReplicas([newRS]),
    readyReplicas: sumReadyReplicas(all),
    availableReplicas: available,
    unavailableReplicas: Math.max(total - available, 0),
  };
  // Go omits zero counts from the wire (all are omitempty); collisionCount is a pointer, kept when set.
  const status = Object.fromEntries(Object.entries(counts).filter(([, value]) => value)) as DeploymentStatus;
  status.conditions = structuredClone(d.status?.conditions ?? []);
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASONS.minimumAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', REASONS.minimumUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}
