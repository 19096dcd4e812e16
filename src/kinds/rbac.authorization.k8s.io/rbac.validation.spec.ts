import { StatusError } from '../../machinery/errors/status-error';
import { seededRegistry, type SeededRegistry } from '../../../test/support/registry';
import { aggregatedRules } from './clusterrole/clusterrole-aggregation.reconciler';
import { clusterRoleAggregationReconciler } from './clusterrole/clusterrole-aggregation.reconciler';
import type { ClusterRole, RoleBinding } from './rbac.types';
import { validateClusterRole, validateClusterRoleBinding, validatePolicyRule, validateRole, validateRoleBinding } from './rbac.validation';

const messages = (errors: { toString(): string }[]) => errors.map((e) => e.toString());

describe('RBAC validation (pkg/apis/rbac/validation)', () => {
  it('needs verbs, and groups and resources for resource rules', () => {
    expect(messages(validatePolicyRule({}, true, 'rules[0]'))).toEqual([
      'rules[0].verbs: Required value: verbs must contain at least one value',
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
      'rules[0].resources: Required value: resource rules must supply at least one resource',
    ]);
    expect(validateRole({ metadata: {}, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] })).toEqual([]);
  });

  it('keeps non-resource URLs to cluster roles and apart from resources', () => {
    const rule = { verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] };
    expect(messages(validateRole({ metadata: {}, rules: [rule] }))).toEqual([
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: rules cannot apply to both regular resources and non-resource URLs',
    ]);
    expect(validateClusterRole({ metadata: {}, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] })).toEqual([]);
  });

  it('needs a selector in an aggregation rule, and valid ones', () => {
    expect(messages(validateClusterRole({ metadata: {}, aggregationRule: {} }))).toEqual([
      'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
    ]);
    expect(messages(validateClusterRole({ metadata: {}, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'a b': 'x' } }] } }))[0]).toContain(
      'aggregationRule.clusterRoleSelectors[0].matchLabels: Invalid value: "a b"',
    );
  });

  it('checks role references and subjects', () => {
    const binding: RoleBinding = {
      metadata: {},
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Deployment', name: '' },
      subjects: [{ kind: 'Robot', name: 'r2' }, { kind: 'ServiceAccount', name: 'Bad_Name', apiGroup: 'x' }, { kind: 'User', name: 'jane', apiGroup: '' }],
    };
    expect(messages(validateRoleBinding(binding))).toEqual([
      'roleRef.kind: Unsupported value: "Deployment": supported values: "Role", "ClusterRole"',
      'roleRef.name: Required value',
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
      expect.stringContaining('subjects[1].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain'),
      'subjects[1].apiGroup: Unsupported value: "x": supported values: ""',
      'subjects[2].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
    ]);
    const cluster: RoleBinding = { metadata: {}, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' }, subjects: [{ kind: 'ServiceAccount', name: 'default' }] };
    expect(messages(validateClusterRoleBinding(cluster))).toEqual([
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
    ]);
  });
});

describe('RBAC kinds through the store', () => {
  let seeded: SeededRegistry;
  beforeAll(async () => (seeded = await seededRegistry()));
  afterAll(() => seeded.close());

  it('defaults binding API groups and refuses a new roleRef', async () => {
    const bindings = seeded.registry.forKind<RoleBinding>('rbac.authorization.k8s.io', 'RoleBinding');
    const { object } = await bindings.create('default', {
      metadata: { name: 'reader' },
      roleRef: { kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'default' }],
    } as RoleBinding);
    const created = object as RoleBinding;
    expect(created.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(created.subjects).toEqual([{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' }, { kind: 'ServiceAccount', name: 'default', namespace: 'default' }]);
    const change = bindings.guaranteedUpdate('default', 'reader', (b) => ({ ...b, roleRef: { ...b.roleRef, name: 'edit' } }));
    await expect(change).rejects.toThrow(
      'RoleBinding.rbac.authorization.k8s.io "reader" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef',
    );
    await expect(change).rejects.toBeInstanceOf(StatusError);
  });

  it('starts with the bootstrap roles and aggregates admin, edit and view', async () => {
    const roles = seeded.registry.forKind<ClusterRole>('rbac.authorization.k8s.io', 'ClusterRole');
    const names = [...roles.cachedObjects()].map((r) => r.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:node', 'system:controller:deployment-controller']));
    const reconciler = clusterRoleAggregationReconciler(seeded.registry, seeded.clock);
    for (const name of ['view', 'edit', 'admin']) await reconciler.reconcile(name);
    const ruleCount = (name: string) => (roles.get(undefined, name) as ClusterRole).rules?.length ?? 0;
    const view = roles.get(undefined, 'view') as ClusterRole;
    expect(view.rules).toEqual((roles.get(undefined, 'system:aggregate-to-view') as ClusterRole).rules);
    expect(view.metadata.managedFields?.map((m) => [m.manager, m.operation])).toEqual([
      ['clusterrole-aggregation-controller', 'Apply'],
      ['kube-apiserver', 'Update'],
    ]);
    // edit gathers view (labelled aggregate-to-edit) and system:aggregate-to-edit; admin gathers edit too.
    expect(ruleCount('edit')).toBeGreaterThan(ruleCount('view'));
    expect(ruleCount('admin')).toBe(ruleCount('edit') + 2);

    await roles.create(undefined, {
      metadata: { name: 'widgets-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }],
    } as ClusterRole);
    await reconciler.reconcile('view');
    expect((roles.get(undefined, 'view') as ClusterRole).rules).toContainEqual({ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] });
    expect(aggregatedRules(view, [])).toEqual([]);
  });
});
