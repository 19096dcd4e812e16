/**
 * The roles and bindings a real API server creates at start (the RBAC bootstrap policy of
 * plugin/pkg/auth/authorizer/rbac/bootstrappolicy): the user-facing cluster-admin, admin, edit and
 * view with their aggregation labels, the system:aggregate-to-* roles they gather, and a
 * representative part of the system:* and system:controller:* roles with their bindings.
 * admin, edit and view carry no rules of their own: the aggregation reconciler fills them in.
 */
import type { KubeObject } from '../../machinery/meta/types';
import { RBAC_API_VERSION, RBAC_GROUP, type ClusterRole, type PolicyRule, type Role, type RoleBinding, type Subject } from './rbac.types';

const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const AUTOUPDATE = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

const words = (text: string): string[] => text.split(' ').filter(Boolean);

/** A resource rule: groups as a list ('' is the core group), resources and verbs as space-separated words. */
function allow(groups: string[], resources: string, verbs: string, resourceNames?: string): PolicyRule {
  return { apiGroups: groups, resources: words(resources), verbs: words(verbs), ...(resourceNames ? { resourceNames: words(resourceNames) } : {}) };
}

function nonResource(urls: string, verbs: string): PolicyRule {
  return { nonResourceURLs: words(urls), verbs: words(verbs) };
}

const READ = 'get list watch';
const WRITE = 'create delete deletecollection patch update';
const EVENTS = allow(['', 'events.k8s.io'], 'events', 'create patch update');

function clusterRole(name: string, rules: PolicyRule[] | null, extra: { labels?: Record<string, string>; aggregateFrom?: string } = {}): ClusterRole {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAP_LABELS, ...extra.labels }, annotations: { ...AUTOUPDATE } },
    ...(extra.aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [extra.aggregateFrom]: 'true' } }] } } : {}),
    ...(rules ? { rules } : {}),
  };
}

const user = (name: string): Subject => ({ kind: 'User', apiGroup: RBAC_GROUP, name });
const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });
const serviceAccount = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });

function clusterRoleBinding(name: string, subjects: Subject[], roleName = name): RoleBinding {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: roleName },
    ...(subjects.length ? { subjects } : {}),
  };
}

function userFacingRoles(): ClusterRole[] {
  return [
    clusterRole('cluster-admin', [allow(['*'], '*', '*'), nonResource('*', '*')]),
    clusterRole('admin', null, { aggregateFrom: AGGREGATE_TO_ADMIN }),
    clusterRole('edit', null, { aggregateFrom: AGGREGATE_TO_EDIT, labels: { [AGGREGATE_TO_ADMIN]: 'true' } }),
    clusterRole('view', null, { aggregateFrom: AGGREGATE_TO_VIEW, labels: { [AGGREGATE_TO_EDIT]: 'true' } }),
    clusterRole(
      'system:aggregate-to-admin',
      [allow(['authorization.k8s.io'], 'localsubjectaccessreviews', 'create'), allow([RBAC_GROUP], 'rolebindings roles', 'create delete deletecollection get list patch update watch')],
      { labels: { [AGGREGATE_TO_ADMIN]: 'true' } },
    ),
    clusterRole(
      'system:aggregate-to-edit',
      [
        allow([''], 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy', READ),
        allow([''], 'serviceaccounts', 'impersonate'),
        allow([''], 'pods pods/attach pods/exec pods/portforward pods/proxy', WRITE),
        allow([''], 'pods/eviction', 'create'),
        allow([''], 'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy', WRITE),
        allow([''], 'serviceaccounts/token', 'create'),
        allow(['apps'], 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale', WRITE),
        allow(['autoscaling'], 'horizontalpodautoscalers', WRITE),
        allow(['batch'], 'cronjobs jobs', WRITE),
        allow(['extensions'], 'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale', WRITE),
        allow(['policy'], 'poddisruptionbudgets', WRITE),
        allow(['networking.k8s.io'], 'ingresses networkpolicies', WRITE),
        allow(['coordination.k8s.io'], 'leases', 'create delete deletecollection get list patch update watch'),
      ],
      { labels: { [AGGREGATE_TO_EDIT]: 'true' } },
    ),
    clusterRole(
      'system:aggregate-to-view',
      [
        allow([''], 'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status', READ),
        allow([''], 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status', READ),
        allow([''], 'namespaces', READ),
        allow(['discovery.k8s.io'], 'endpointslices', READ),
        allow(['apps'], 'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status', READ),
        allow(['autoscaling'], 'horizontalpodautoscalers horizontalpodautoscalers/status', READ),
        allow(['batch'], 'cronjobs cronjobs/status jobs jobs/status', READ),
        allow(['extensions'], 'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale', READ),
        allow(['policy'], 'poddisruptionbudgets poddisruptionbudgets/status', READ),
        allow(['networking.k8s.io'], 'ingresses ingresses/status networkpolicies', READ),
      ],
      { labels: { [AGGREGATE_TO_VIEW]: 'true' } },
    ),
  ];
}

function systemRoles(): ClusterRole[] {
  return [
    clusterRole('system:auth-delegator', [allow(['authentication.k8s.io'], 'tokenreviews', 'create'), allow(['authorization.k8s.io'], 'subjectaccessreviews', 'create')]),
    clusterRole('system:basic-user', [
      allow(['authorization.k8s.io'], 'selfsubjectaccessreviews selfsubjectrulesreviews', 'create'),
      allow(['authentication.k8s.io'], 'selfsubjectreviews', 'create'),
    ]),
    clusterRole('system:discovery', [nonResource('/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/', 'get')]),
    clusterRole('system:public-info-viewer', [nonResource('/healthz /livez /readyz /version /version/', 'get')]),
    clusterRole('system:monitoring', [nonResource('/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*', 'get')]),
    clusterRole('system:service-account-issuer-discovery', [nonResource('/.well-known/openid-configuration /openid/v1/jwks', 'get')]),
    clusterRole('system:heapster', [allow([''], 'events namespaces nodes pods', READ), allow(['extensions'], 'deployments', READ)]),
    clusterRole('system:kube-aggregator', [allow([''], 'endpoints services', READ)]),
    clusterRole('system:kube-dns', [allow([''], 'endpoints services', 'list watch')]),
    clusterRole('system:node-bootstrapper', [allow(['certificates.k8s.io'], 'certificatesigningrequests', 'create get list watch')]),
    clusterRole('system:node-problem-detector', [allow([''], 'nodes', 'get'), allow([''], 'nodes/status', 'patch'), EVENTS]),
    clusterRole('system:node-proxier', [allow([''], 'endpoints services', 'list watch'), allow([''], 'nodes', READ), EVENTS, allow(['discovery.k8s.io'], 'endpointslices', 'list watch')]),
    clusterRole('system:kubelet-api-admin', [allow([''], 'nodes', READ), allow([''], 'nodes', 'proxy'), allow([''], 'nodes/log nodes/metrics nodes/proxy nodes/stats', '*')]),
    clusterRole('system:persistent-volume-provisioner', [
      allow([''], 'persistentvolumes', 'create delete get list watch'),
      allow([''], 'persistentvolumeclaims', 'get list update watch'),
      allow(['storage.k8s.io'], 'storageclasses', READ),
      allow([''], 'events', 'watch'),
      EVENTS,
    ]),
    clusterRole('system:volume-scheduler', [
      allow([''], 'persistentvolumes', 'get list patch update watch'),
      allow(['storage.k8s.io'], 'storageclasses', READ),
      allow([''], 'persistentvolumeclaims', 'get list patch update watch'),
    ]),
    clusterRole('system:kube-controller-manager', [
      EVENTS,
      allow(['coordination.k8s.io'], 'leases', 'create'),
      allow(['coordination.k8s.io'], 'leases', 'get update', 'kube-controller-manager'),
      allow([''], 'secrets serviceaccounts', 'create'),
      allow([''], 'secrets', 'delete'),
      allow([''], 'configmaps namespaces secrets serviceaccounts', 'get'),
      allow([''], 'secrets serviceaccounts', 'update'),
      allow(['authentication.k8s.io'], 'tokenreviews', 'create'),
      allow(['authorization.k8s.io'], 'subjectaccessreviews', 'create'),
      allow(['*'], '*', 'list watch'),
      allow([''], 'serviceaccounts/token', 'create'),
    ]),
    clusterRole('system:kube-scheduler', [
      EVENTS,
      allow(['coordination.k8s.io'], 'leases', 'create'),
      allow(['coordination.k8s.io'], 'leases', 'get update', 'kube-scheduler'),
      allow([''], 'nodes', READ),
      allow([''], 'pods', 'delete get list watch'),
      allow([''], 'bindings pods/binding', 'create'),
      allow([''], 'pods/status', 'patch update'),
      allow([''], 'replicationcontrollers services', READ),
      allow(['apps', 'extensions'], 'replicasets', READ),
      allow(['apps'], 'statefulsets', READ),
      allow(['policy'], 'poddisruptionbudgets', READ),
      allow([''], 'persistentvolumeclaims persistentvolumes', READ),
      allow(['authentication.k8s.io'], 'tokenreviews', 'create'),
      allow(['authorization.k8s.io'], 'subjectaccessreviews', 'create'),
      allow(['storage.k8s.io'], 'csinodes', READ),
      allow([''], 'namespaces', READ),
      allow(['storage.k8s.io'], 'csidrivers', READ),
      allow(['storage.k8s.io'], 'csistoragecapacities', READ),
    ]),
    clusterRole('system:node', [
      allow(['authentication.k8s.io'], 'tokenreviews', 'create'),
      allow(['authorization.k8s.io'], 'localsubjectaccessreviews subjectaccessreviews', 'create'),
      allow([''], 'services', READ),
      allow([''], 'nodes', 'create get list watch'),
      allow([''], 'nodes/status', 'patch update'),
      allow([''], 'nodes', 'patch update'),
      allow([''], 'events', 'create patch update'),
      allow([''], 'pods', READ),
      allow([''], 'pods', 'create delete'),
      allow([''], 'pods/status', 'patch update'),
      allow([''], 'pods/eviction', 'create'),
      allow([''], 'configmaps secrets', READ),
      allow([''], 'persistentvolumeclaims persistentvolumes', 'get'),
      allow([''], 'endpoints', 'get'),
      allow(['certificates.k8s.io'], 'certificatesigningrequests', 'create get list watch'),
      allow(['coordination.k8s.io'], 'leases', 'create delete get patch update'),
      allow(['storage.k8s.io'], 'volumeattachments', 'get'),
      allow([''], 'serviceaccounts/token', 'create'),
      allow([''], 'persistentvolumeclaims/status', 'get patch update'),
      allow(['storage.k8s.io'], 'csidrivers', READ),
      allow(['storage.k8s.io'], 'csinodes', 'create delete get patch update'),
      allow(['node.k8s.io'], 'runtimeclasses', READ),
    ]),
  ];
}

/** The roles of the controllers kubemu runs, each bound to its service account in kube-system. */
function controllerRoles(): ClusterRole[] {
  const controller = (name: string, rules: PolicyRule[]) => clusterRole(`system:controller:${name}`, rules);
  return [
    controller('clusterrole-aggregation-controller', [allow([RBAC_GROUP], 'clusterroles', 'escalate get list patch update watch')]),
    controller('cronjob-controller', [
      allow(['batch'], 'cronjobs', 'get list update watch'),
      allow(['batch'], 'jobs', 'create delete get list patch update watch'),
      allow(['batch'], 'cronjobs/status', 'update'),
      allow(['batch'], 'cronjobs/finalizers', 'update'),
      allow([''], 'pods', 'delete list watch'),
      EVENTS,
    ]),
    controller('daemon-set-controller', [
      allow(['apps', 'extensions'], 'daemonsets', READ),
      allow(['apps', 'extensions'], 'daemonsets/status', 'update'),
      allow(['apps', 'extensions'], 'daemonsets/finalizers', 'update'),
      allow([''], 'nodes', 'list watch'),
      allow([''], 'pods', 'create delete list patch watch'),
      allow([''], 'pods/binding', 'create'),
      allow(['apps'], 'controllerrevisions', 'create delete get list patch update watch'),
      EVENTS,
    ]),
    controller('deployment-controller', [
      allow(['apps', 'extensions'], 'deployments', 'get list update watch'),
      allow(['apps', 'extensions'], 'deployments/status', 'update'),
      allow(['apps', 'extensions'], 'deployments/finalizers', 'update'),
      allow(['apps', 'extensions'], 'replicasets', 'create delete get list patch update watch'),
      allow([''], 'pods', 'get list update watch'),
      EVENTS,
    ]),
    controller('disruption-controller', [
      allow(['apps', 'extensions'], 'deployments', READ),
      allow(['apps', 'extensions'], 'replicasets', READ),
      allow([''], 'replicationcontrollers', READ),
      allow(['policy'], 'poddisruptionbudgets', READ),
      allow(['apps'], 'statefulsets', READ),
      allow(['policy'], 'poddisruptionbudgets/status', 'update'),
      allow([''], 'pods/status', 'patch update'),
      allow(['*'], '*/scale', 'get'),
      EVENTS,
    ]),
    controller('endpoint-controller', [
      allow([''], 'pods services', READ),
      allow([''], 'endpoints', 'create delete get list update watch'),
      allow([''], 'endpoints/restricted', 'create'),
      EVENTS,
    ]),
    controller('endpointslice-controller', [
      allow([''], 'nodes pods services', READ),
      allow([''], 'services/finalizers', 'update'),
      allow(['discovery.k8s.io'], 'endpointslices', 'create delete get list update watch'),
      EVENTS,
    ]),
    controller('generic-garbage-collector', [allow(['*'], '*', 'delete get list patch update watch'), EVENTS]),
    controller('horizontal-pod-autoscaler', [
      allow(['autoscaling'], 'horizontalpodautoscalers', READ),
      allow(['autoscaling'], 'horizontalpodautoscalers/status', 'update'),
      allow(['*'], '*/scale', 'get update'),
      allow([''], 'pods', 'list watch'),
      allow(['metrics.k8s.io'], 'pods', 'list watch'),
      allow(['custom.metrics.k8s.io'], '*', READ),
      allow(['external.metrics.k8s.io'], '*', READ),
      EVENTS,
    ]),
    controller('job-controller', [
      allow(['batch'], 'jobs', 'get list patch update watch'),
      allow(['batch'], 'jobs/status', 'update'),
      allow(['batch'], 'jobs/finalizers', 'update'),
      allow([''], 'pods', 'create delete list patch watch'),
      EVENTS,
    ]),
    controller('namespace-controller', [
      allow([''], 'namespaces', 'delete get list watch'),
      allow([''], 'namespaces/finalize namespaces/status', 'update'),
      allow(['*'], '*', 'delete deletecollection get list watch'),
    ]),
  ];
}

/** Every bootstrap ClusterRole, in name order as a list of them reads. */
export function bootstrapClusterRoles(): ClusterRole[] {
  return [...userFacingRoles(), ...systemRoles(), ...controllerRoles()];
}

export function bootstrapClusterRoleBindings(): RoleBinding[] {
  const authenticated = group('system:authenticated');
  return [
    clusterRoleBinding('cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:basic-user', [authenticated]),
    clusterRoleBinding('system:discovery', [authenticated]),
    clusterRoleBinding('system:public-info-viewer', [authenticated, group('system:unauthenticated')]),
    clusterRoleBinding('system:monitoring', [group('system:monitoring')]),
    clusterRoleBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
    clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
    clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
    clusterRoleBinding('system:kube-dns', [serviceAccount('kube-system', 'kube-dns')]),
    clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
    clusterRoleBinding('system:node', []),
    ...controllerRoles().map((role) => {
      const name = role.metadata.name!;
      return clusterRoleBinding(name, [serviceAccount('kube-system', name.slice('system:controller:'.length))]);
    }),
  ];
}

/** The namespaced roles of the bootstrap policy: what control-plane components read in kube-system. */
export function bootstrapRoles(): Role[] {
  const role = (namespace: string, name: string, rules: PolicyRule[]): Role => ({
    apiVersion: RBAC_API_VERSION,
    kind: 'Role',
    metadata: { name, namespace, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    rules,
  });
  return [
    role('kube-system', 'extension-apiserver-authentication-reader', [allow([''], 'configmaps', READ, 'extension-apiserver-authentication')]),
    role('kube-system', 'system::leader-locking-kube-controller-manager', [allow([''], 'configmaps', 'watch'), allow([''], 'configmaps', 'get update', 'kube-controller-manager')]),
    role('kube-system', 'system::leader-locking-kube-scheduler', [allow([''], 'configmaps', 'watch'), allow([''], 'configmaps', 'get update', 'kube-scheduler')]),
  ];
}

export function bootstrapRoleBindings(): RoleBinding[] {
  const binding = (namespace: string, name: string, subjects: Subject[], roleName = name): RoleBinding => ({
    apiVersion: RBAC_API_VERSION,
    kind: 'RoleBinding',
    metadata: { name, namespace, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...AUTOUPDATE } },
    roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name: roleName },
    subjects,
  });
  return [
    binding('kube-system', 'system::extension-apiserver-authentication-reader', [user('system:kube-controller-manager'), user('system:kube-scheduler')], 'extension-apiserver-authentication-reader'),
    binding('kube-system', 'system::leader-locking-kube-controller-manager', [user('system:kube-controller-manager'), serviceAccount('kube-system', 'kube-controller-manager'), serviceAccount('kube-system', 'leader-election-controller')]),
    binding('kube-system', 'system::leader-locking-kube-scheduler', [user('system:kube-scheduler'), serviceAccount('kube-system', 'kube-scheduler')]),
  ];
}

/** Everything above, roles before the bindings that name them. */
export function bootstrapPolicy(): KubeObject[] {
  return [...bootstrapClusterRoles(), ...bootstrapRoles(), ...bootstrapClusterRoleBindings(), ...bootstrapRoleBindings()];
}
