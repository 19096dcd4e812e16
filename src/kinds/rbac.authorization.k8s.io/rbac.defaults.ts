/** SetDefaults_RoleBinding / SetDefaults_ClusterRoleBinding / SetDefaults_Subject of pkg/apis/rbac/v1. */
import { GROUP_KIND, RBAC_GROUP, SERVICE_ACCOUNT_KIND, USER_KIND, type RoleBinding } from './rbac.types';

export function applyBindingDefaults(binding: RoleBinding): void {
  if (binding.roleRef && !binding.roleRef.apiGroup) binding.roleRef.apiGroup = RBAC_GROUP;
  for (const subject of binding.subjects ?? []) {
    if (subject.apiGroup) continue;
    // A service account lives in the core group, whose empty name Go's omitempty leaves out; users
    // and groups are RBAC's own.
    if (subject.kind === SERVICE_ACCOUNT_KIND) delete subject.apiGroup;
    else if (subject.kind === USER_KIND || subject.kind === GROUP_KIND) subject.apiGroup = RBAC_GROUP;
  }
}
