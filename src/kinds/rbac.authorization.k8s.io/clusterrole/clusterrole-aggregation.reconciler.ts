import { defineReconciler, type Reconciler } from '../../../controller-runtime/reconciler';
import { StatusError } from '../../../machinery/errors/status-error';
import { LabelSelector } from '../../../machinery/selectors/label-selector';
import { semanticEqual } from '../../../machinery/validation/common';
import type { ResourceRegistry } from '../../../registry/registry';
import { RBAC_API_VERSION, RBAC_GROUP, type ClusterRole, type PolicyRule } from '../rbac.types';

/** The manager its server-side applies are recorded under, as upstream's controller names itself. */
export const AGGREGATION_MANAGER = 'clusterrole-aggregation-controller';

/**
 * The rules an aggregated role should have: those of every other cluster role its selectors
 * match, taken in name order, each rule once.
 */
export function aggregatedRules(role: ClusterRole, all: Iterable<ClusterRole>): PolicyRule[] {
  const selectors = (role.aggregationRule?.clusterRoleSelectors ?? []).map((s) => LabelSelector.fromObject(s));
  const matched = [...all]
    .filter((other) => other.metadata.name !== role.metadata.name && selectors.some((s) => s.matches(other.metadata.labels)))
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const rules: PolicyRule[] = [];
  for (const other of matched) {
    for (const rule of other.rules ?? []) if (!rules.some((r) => semanticEqual(r, rule))) rules.push(rule);
  }
  return rules;
}

/**
 * The clusterrole-aggregation controller: a ClusterRole with an aggregationRule gets the rules of
 * the cluster roles its label selectors pick, kept current as those change (admin, edit and view
 * are built this way from the system:aggregate-to-* roles and whatever else carries their labels).
 */
export const clusterRoleAggregationReconciler = defineReconciler((registry: ResourceRegistry): Reconciler => {
  const clusterRoles = registry.forKind<ClusterRole>(RBAC_GROUP, 'ClusterRole');
  /** Any change may alter what an aggregated role gathers: look at every aggregated role again. */
  const aggregatedRoleNames = (): string[] => [...clusterRoles.cachedObjects()].filter((r) => r.aggregationRule).map((r) => r.metadata.name!);

  return {
    name: 'clusterrole-aggregation',
    watches: [{ group: RBAC_GROUP, kind: 'ClusterRole', keysFor: aggregatedRoleNames }],
    async reconcile(name) {
      const role = clusterRoles.find(undefined, name)?.object as ClusterRole | undefined;
      if (!role?.aggregationRule) return;
      const rules = aggregatedRules(role, clusterRoles.cachedObjects());
      if (semanticEqual(rules, role.rules ?? [])) return;
      try {
        await clusterRoles.apply(undefined, name, { apiVersion: RBAC_API_VERSION, kind: 'ClusterRole', metadata: { name }, rules }, { fieldManager: AGGREGATION_MANAGER, force: true });
      } catch (err) {
        if (err instanceof StatusError && err.code === 404) return;
        throw err;
      }
    },
  };
});
