/** printRole/printClusterRole and printRoleBinding/printClusterRoleBinding of pkg/printers/internalversion. */
import { AGE_COLUMN, ageCell, defaultTable, NAME_COLUMN } from '../../machinery/table/table';
import type { TableDeclaration } from '../../registry/resource-type';
import { SERVICE_ACCOUNT_KIND, USER_KIND, GROUP_KIND, type Role, type RoleBinding, type Subject } from './rbac.types';

/** Roles show when they were made as a timestamp, not an age (the default convertor's columns). */
export const roleTable: TableDeclaration<Role> = defaultTable<Role>();

/** SubjectsStrings: users, groups and service accounts (namespace/name when namespaced), each joined. */
export function subjectsStrings(subjects: Subject[] | undefined): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of subjects ?? []) {
    if (subject.kind === SERVICE_ACCOUNT_KIND) serviceAccounts.push(subject.namespace ? `${subject.namespace}/${subject.name}` : (subject.name ?? ''));
    else if (subject.kind === USER_KIND) users.push(subject.name ?? '');
    else if (subject.kind === GROUP_KIND) groups.push(subject.name ?? '');
  }
  return { users, groups, serviceAccounts };
}

export const roleBindingTable: TableDeclaration<RoleBinding> = {
  columns: [
    NAME_COLUMN,
    { name: 'Role', type: 'string', description: 'The role the binding grants, as Kind/name.' },
    AGE_COLUMN,
    { name: 'Users', type: 'string', priority: 1, description: 'Users bound.' },
    { name: 'Groups', type: 'string', priority: 1, description: 'Groups bound.' },
    { name: 'ServiceAccounts', type: 'string', priority: 1, description: 'Service accounts bound.' },
  ],
  cells(binding, now) {
    const { users, groups, serviceAccounts } = subjectsStrings(binding.subjects);
    return [
      binding.metadata.name,
      `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`,
      ageCell(binding.metadata.creationTimestamp, now),
      users.join(', '),
      groups.join(', '),
      serviceAccounts.join(', '),
    ];
  },
};
