import { defineResource } from '../../../registry/resource-type';
import { applyBindingDefaults } from '../rbac.defaults';
import { roleBindingTable } from '../rbac.table';
import type { RoleBinding } from '../rbac.types';
import { rbacNameErrors, roleRefChangeErrors, validateRoleBinding } from '../rbac.validation';

/** rbac.authorization.k8s.io/v1 RoleBinding (pkg/registry/rbac/rolebinding): subjects granted a Role or ClusterRole in one namespace. */
export const roleBindingResource = defineResource<RoleBinding>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  singular: 'rolebinding',
  namespaced: true,
  definition: 'io.k8s.api.rbac.v1.RoleBinding',
  metaRules: { nameErrors: rbacNameErrors },
  applyDefaults: applyBindingDefaults,
  validate: validateRoleBinding,
  validateUpdate: (binding, old) => [...validateRoleBinding(binding), ...roleRefChangeErrors(binding, old)],
  table: roleBindingTable,
});
