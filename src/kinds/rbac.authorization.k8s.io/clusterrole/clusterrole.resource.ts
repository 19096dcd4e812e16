import { defineResource } from '../../../registry/resource-type';
import { roleTable } from '../rbac.table';
import type { ClusterRole } from '../rbac.types';
import { rbacNameErrors, validateClusterRole } from '../rbac.validation';

/**
 * rbac.authorization.k8s.io/v1 ClusterRole (pkg/registry/rbac/clusterrole): cluster-wide
 * permissions, possibly aggregated from other cluster roles by label (see the aggregation reconciler).
 */
export const clusterRoleResource = defineResource<ClusterRole>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  definition: 'io.k8s.api.rbac.v1.ClusterRole',
  metaRules: { nameErrors: rbacNameErrors },
  validate: validateClusterRole,
  validateUpdate: validateClusterRole,
  table: roleTable,
});
