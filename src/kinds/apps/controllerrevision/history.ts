/**
 * The revision history StatefulSets and DaemonSets keep (pkg/controller/history and the daemon
 * controller's own): one ControllerRevision per distinct pod template, named `<owner>-<hash>`,
 * numbered in the order templates were used, its data the strategic merge patch that puts that
 * template back (what `kubectl rollout undo` applies).
 */
import { claimDependents, CONTROLLER_WRITE, controllerOf, newControllerRef } from '../../../controller-runtime/controller-ref';
import { StatusError } from '../../../machinery/errors/status-error';
import type { KubeObject } from '../../../machinery/meta/types';
import type { LabelSelector } from '../../../machinery/selectors/label-selector';
import { semanticEqual } from '../../../machinery/validation/common';
import { defaultListOptions } from '../../../registry/list-options';
import type { ResourceRegistry } from '../../../registry/registry';
import type { PodTemplateSpec } from '../pod-template';
import type { ControllerRevision } from './controllerrevision.types';
import { fnv32a, safeEncodeHash, stableText } from '../../../machinery/meta/object-hash';

/** HashControllerRevision: FNV-32a of the data (and the collision count), in the safe alphabet. */
export function revisionHash(data: unknown, collisionCount = 0): string {
  let hash = fnv32a(Buffer.from(stableText(data), 'utf8'));
  if (collisionCount) {
    const count = Buffer.alloc(4);
    count.writeUInt32LE(collisionCount >>> 0, 0);
    hash = fnv32a(count, hash);
  }
  return safeEncodeHash(hash);
}

/** getPatch: the template under spec, marked to replace the live one whole. */
export function templatePatch(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(template ?? {}), $patch: 'replace' } } };
}

/** The template a revision's data holds, without the patch directive. */
export function templateOfRevision(rev: ControllerRevision): PodTemplateSpec | undefined {
  const template = (rev.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template;
  if (!template) return undefined;
  const { $patch: _directive, ...rest } = template;
  return rest;
}

export interface RevisionOwner extends KubeObject {
  spec?: { template?: PodTemplateSpec; revisionHistoryLimit?: number };
  status?: { collisionCount?: number };
}

export interface Revisions {
  /** Every revision of the owner, oldest number first. */
  all: ControllerRevision[];
  /** The revision of the owner's current template (created or renumbered as needed). */
  update: ControllerRevision;
  collisionCount: number;
}

export class RevisionHistory {
  private readonly revisions;

  constructor(
    registry: ResourceRegistry,
    /** The label that carries the hash on revisions: controller.kubernetes.io/hash (StatefulSet) or controller-revision-hash (DaemonSet). */
    private readonly hashLabel: string,
  ) {
    this.revisions = registry.forKind<ControllerRevision>('apps', 'ControllerRevision');
  }

  /** ListControllerRevisions + ClaimControllerRevisions: the owner's revisions, adopting matching orphans. */
  async list(owner: RevisionOwner, selector: LabelSelector): Promise<ControllerRevision[]> {
    const { items } = await this.revisions.list(owner.metadata.namespace, defaultListOptions());
    const candidates = items.map((e) => e.object as ControllerRevision).filter((rev) => !controllerOf(rev) || controllerOf(rev)?.uid === owner.metadata.uid);
    const owned = await claimDependents(owner, (rev) => selector.matches(rev.metadata.labels), candidates, this.revisions);
    return owned.sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  /**
   * The revision for the owner's template: an equal existing one (moved to the newest number if it
   * is not), or a new one. A name taken by different data bumps the collision count.
   */
  async ensure(owner: RevisionOwner, all: ControllerRevision[]): Promise<Revisions> {
    const data = templatePatch(owner.spec?.template);
    const newest = all.reduce((max, rev) => Math.max(max, rev.revision ?? 0), 0);
    const equal = all.filter((rev) => semanticEqual(rev.data, data));
    if (equal.length) {
      const latest = equal[equal.length - 1];
      if (latest.revision === newest) return { all, update: latest, collisionCount: owner.status?.collisionCount ?? 0 };
      const { object } = await this.revisions.guaranteedUpdate(latest.metadata.namespace, latest.metadata.name!, (rev) => ({ ...rev, revision: newest + 1 }), CONTROLLER_WRITE);
      const renumbered = object as ControllerRevision;
      return { all: [...all.filter((r) => r !== latest), renumbered], update: renumbered, collisionCount: owner.status?.collisionCount ?? 0 };
    }
    let collisionCount = owner.status?.collisionCount ?? 0;
    for (;;) {
      const hash = revisionHash(data, collisionCount);
      const revision: ControllerRevision = {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name: `${owner.metadata.name!.slice(0, 223)}-${hash}`,
          namespace: owner.metadata.namespace,
          labels: { ...owner.spec?.template?.metadata?.labels, [this.hashLabel]: hash },
          ...(owner.metadata.annotations ? { annotations: { ...owner.metadata.annotations } } : {}),
          ownerReferences: [newControllerRef(owner)],
        },
        data,
        revision: newest + 1,
      };
      try {
        const { object } = await this.revisions.create(owner.metadata.namespace, revision, CONTROLLER_WRITE);
        const created = object as ControllerRevision;
        return { all: [...all, created], update: created, collisionCount };
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
        const existing = this.revisions.find(owner.metadata.namespace, revision.metadata.name!)?.object as ControllerRevision | undefined;
        if (existing && controllerOf(existing)?.uid === owner.metadata.uid && semanticEqual(existing.data, data)) {
          return { all: [...all, existing], update: existing, collisionCount };
        }
        collisionCount++;
      }
    }
  }

  /** truncateHistory: beyond revisionHistoryLimit, the oldest revisions no live pod uses go. */
  async truncate(owner: RevisionOwner, all: ControllerRevision[], inUse: Set<string>): Promise<void> {
    const limit = owner.spec?.revisionHistoryLimit ?? 10;
    const removable = all.filter((rev) => !inUse.has(rev.metadata.name!));
    const excess = removable.length - limit;
    for (const rev of removable.slice(0, Math.max(0, excess))) {
      try {
        await this.revisions.delete(rev.metadata.namespace, rev.metadata.name!);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
  }
}
