import { defineResource } from '../../../registry/resource-type';
import { roleTable } from '../rbac.table';
import type { Role } from '../rbac.types';
import { rbacNameErrors, validateRole } from '../rbac.validation';

/**
 * rbac.authorization.k8s.io/v1 Role (pkg/registry/rbac/role): namespaced permissions. kubemu
 * authorizes everything, so roles are stored and served but grant nothing beyond that.
 */
export const roleResource = defineResource<Role>({
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  definition: 'io.k8s.api.rbac.v1.Role',
  metaRules: { nameErrors: rbacNameErrors },
  validate: validateRole,
  validateUpdate: validateRole,
  table: roleTable,
});
