/** The wire shapes of rbac.authorization.k8s.io/v1, as far as validation, printers and the aggregator read them. */
import type { KubeObject } from '../../machinery/meta/types';
import type { LabelSelectorObject } from '../../machinery/selectors/label-selector';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const RBAC_API_VERSION = `${RBAC_GROUP}/v1`;

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Role extends KubeObject {
  rules?: PolicyRule[] | null;
}

export interface AggregationRule {
  clusterRoleSelectors?: LabelSelectorObject[];
}

export interface ClusterRole extends Role {
  aggregationRule?: AggregationRule;
}

export interface Subject {
  kind?: string;
  apiGroup?: string;
  name?: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup?: string;
  kind?: string;
  name?: string;
}

export interface RoleBinding extends KubeObject {
  subjects?: Subject[];
  roleRef?: RoleRef;
}

export const SERVICE_ACCOUNT_KIND = 'ServiceAccount';
export const USER_KIND = 'User';
export const GROUP_KIND = 'Group';
