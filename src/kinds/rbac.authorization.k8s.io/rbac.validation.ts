/** ValidateRole, ValidateClusterRole, ValidateRoleBinding, ValidateClusterRoleBinding of pkg/apis/rbac/validation. */
import { FieldError, GoSyntax } from '../../machinery/errors/status-error';
import { labelSelectorFieldErrors } from '../../machinery/selectors/label-selector';
import { dns1123SubdomainErrors } from '../../machinery/validation/names';
import { pathSegmentNameErrors } from '../../machinery/validation/object-meta';
import { GROUP_KIND, RBAC_GROUP, SERVICE_ACCOUNT_KIND, USER_KIND, type ClusterRole, type PolicyRule, type Role, type RoleBinding, type RoleRef, type Subject } from './rbac.types';

/** Role and binding names only have to be path segments (system:controller:... is a valid name). */
export const rbacNameErrors = pathSegmentNameErrors;

export function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!rule.verbs?.length) errors.push(FieldError.required(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls = rule.nonResourceURLs ?? [];
  if (urls.length) {
    const value = GoSyntax.stringSlice(urls);
    if (namespaced) errors.push(FieldError.invalid(`${path}.nonResourceURLs`, value, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      errors.push(FieldError.invalid(`${path}.nonResourceURLs`, value, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errors;
  }
  if (!rule.apiGroups?.length) errors.push(FieldError.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) errors.push(FieldError.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errors;
}

export function validateRole(role: Role): FieldError[] {
  return (role.rules ?? []).flatMap((rule, i) => validatePolicyRule(rule, true, `rules[${i}]`));
}

export function validateClusterRole(role: ClusterRole): FieldError[] {
  const errors = (role.rules ?? []).flatMap((rule, i) => validatePolicyRule(rule, false, `rules[${i}]`));
  if (role.aggregationRule) {
    const selectors = role.aggregationRule.clusterRoleSelectors ?? [];
    if (!selectors.length) errors.push(FieldError.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((selector, i) => errors.push(...labelSelectorFieldErrors(selector, `aggregationRule.clusterRoleSelectors[${i}]`)));
  }
  return errors;
}

export function validateSubject(subject: Subject, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = subject.name ?? '';
  if (!name) errors.push(FieldError.required(`${path}.name`));
  switch (subject.kind) {
    case SERVICE_ACCOUNT_KIND:
      if (name) for (const message of dns1123SubdomainErrors(name)) errors.push(FieldError.invalid(`${path}.name`, name, message));
      if (subject.apiGroup) errors.push(FieldError.notSupported(`${path}.apiGroup`, subject.apiGroup, ['']));
      if (!namespaced && !subject.namespace) errors.push(FieldError.required(`${path}.namespace`));
      break;
    case USER_KIND:
    case GROUP_KIND:
      if (subject.apiGroup !== RBAC_GROUP) errors.push(FieldError.notSupported(`${path}.apiGroup`, subject.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errors.push(FieldError.notSupported(`${path}.kind`, subject.kind ?? '', [SERVICE_ACCOUNT_KIND, USER_KIND, GROUP_KIND]));
  }
  return errors;
}

function validateBinding(binding: RoleBinding, namespaced: boolean, allowedKinds: string[]): FieldError[] {
  const errors: FieldError[] = [];
  const ref = binding.roleRef ?? {};
  if (ref.apiGroup !== RBAC_GROUP) errors.push(FieldError.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!allowedKinds.includes(ref.kind ?? '')) errors.push(FieldError.notSupported('roleRef.kind', ref.kind ?? '', allowedKinds));
  if (!ref.name) errors.push(FieldError.required('roleRef.name'));
  else for (const message of rbacNameErrors(ref.name)) errors.push(FieldError.invalid('roleRef.name', ref.name, message));
  (binding.subjects ?? []).forEach((subject, i) => errors.push(...validateSubject(subject, namespaced, `subjects[${i}]`)));
  return errors;
}

export function validateRoleBinding(binding: RoleBinding): FieldError[] {
  return validateBinding(binding, true, ['Role', 'ClusterRole']);
}

export function validateClusterRoleBinding(binding: RoleBinding): FieldError[] {
  return validateBinding(binding, false, ['ClusterRole']);
}

/** Go's %#v of the internal rbac.RoleRef, which the immutability error prints. */
function roleRefSyntax(ref: RoleRef | undefined): GoSyntax {
  return new GoSyntax(`rbac.RoleRef{APIGroup:${JSON.stringify(ref?.apiGroup ?? '')}, Kind:${JSON.stringify(ref?.kind ?? '')}, Name:${JSON.stringify(ref?.name ?? '')}}`);
}

/** A binding's roleRef never changes: binding to another role means a new binding. */
export function roleRefChangeErrors(binding: RoleBinding, old: RoleBinding): FieldError[] {
  const a = binding.roleRef ?? {};
  const b = old.roleRef ?? {};
  if ((a.apiGroup ?? '') === (b.apiGroup ?? '') && (a.kind ?? '') === (b.kind ?? '') && (a.name ?? '') === (b.name ?? '')) return [];
  return [FieldError.invalid('roleRef', roleRefSyntax(binding.roleRef), 'cannot change roleRef')];
}
