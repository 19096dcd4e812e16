import { defineResource } from '../../../registry/resource-type';
import { applyBindingDefaults } from '../rbac.defaults';
import { roleBindingTable } from '../rbac.table';
import type { RoleBinding } from '../rbac.types';
import { rbacNameErrors, roleRefChangeErrors, validateClusterRoleBinding } from '../rbac.validation';

/** rbac.authorization.k8s.io/v1 ClusterRoleBinding (pkg/registry/rbac/clusterrolebinding): subjects granted a ClusterRole everywhere. */
export const clusterRoleBindingResource = defineResource<RoleBinding>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  singular: 'clusterrolebinding',
  namespaced: false,
  definition: 'io.k8s.api.rbac.v1.ClusterRoleBinding',
  metaRules: { nameErrors: rbacNameErrors },
  applyDefaults: applyBindingDefaults,
  validate: validateClusterRoleBinding,
  validateUpdate: (binding, old) => [...validateClusterRoleBinding(binding), ...roleRefChangeErrors(binding, old)],
  table: roleBindingTable,
});
