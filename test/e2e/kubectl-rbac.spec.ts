/**
 * RBAC through real kubectl: the bootstrap roles a cluster starts with, aggregation into admin/edit/
 * view, the create generators (protobuf bodies from kubectl 1.32, JSON from 1.27), printers,
 * describe, validation text, and authorization that still allows everything.
 */
import { eventually, kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
  await k.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rbac' } });
});
afterAll(() => k.close());

describe('kubectl and RBAC', () => {
  it('lists the bootstrap cluster roles and bindings', async () => {
    const roles = await k.kubectl(['get', 'clusterroles']);
    expect(roles.stderr).toBe('');
    const table = parseTable(roles.stdout);
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'CREATED AT']);
    const names = table.rows.map((r) => r[0]);
    expect(names).toEqual(expect.arrayContaining(['admin', 'cluster-admin', 'edit', 'view', 'system:aggregate-to-view', 'system:discovery', 'system:node', 'system:controller:deployment-controller']));
    expect(table.rows.find((r) => r[0] === 'cluster-admin')?.[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const bindings = await k.kubectl(['get', 'clusterrolebindings', '-o', 'wide']);
    const wide = parseTable(bindings.stdout);
    expect(wide.header.split(/\s{2,}/)).toEqual(['NAME', 'ROLE', 'AGE', 'USERS', 'GROUPS', 'SERVICEACCOUNTS']);
    expect(wide.lines.find((l) => l.startsWith('cluster-admin '))).toMatch(/^cluster-admin\s+ClusterRole\/cluster-admin\s+\S+\s+system:masters\s*$/);
    expect(wide.lines.find((l) => l.startsWith('system:controller:job-controller '))).toMatch(/ClusterRole\/system:controller:job-controller\s+\S+\s+kube-system\/job-controller$/);
    const namespaced = await k.kubectl(['get', 'roles', '-n', 'kube-system']);
    expect(namespaced.stdout).toContain('extension-apiserver-authentication-reader');
  });

  it('describes admin with the rules aggregated into it', async () => {
    const described = await eventually(async () => {
      const r = await k.kubectl(['describe', 'clusterrole', 'admin']);
      return r.stdout.includes('rolebindings.rbac.authorization.k8s.io') ? r.stdout : undefined;
    }, 10_000, 'admin to gather the aggregate-to-admin rules');
    expect(described).toMatch(/^Name:\s+admin$/m);
    expect(described).toMatch(/^Labels:\s+kubernetes.io\/bootstrapping=rbac-defaults$/m);
    expect(described).toMatch(/Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs/);
    expect(described).toMatch(/^\s+deployments.apps\s+\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]$/m);
    expect(described).toMatch(/^\s+pods\/eviction\s+\[\]\s+\[\]\s+\[create\]$/m);
  });

  it('aggregates a new role labelled for view into view, edit and admin', async () => {
    const manifest = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-view
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
- apiGroups: ["example.com"]
  resources: ["widgets"]
  verbs: ["get", "list", "watch"]
`;
    expect((await k.kubectl(['apply', '-f', '-'], { stdin: manifest })).stdout.trim()).toBe('clusterrole.rbac.authorization.k8s.io/widgets-view created');
    for (const role of ['view', 'edit', 'admin']) {
      await eventually(async () => ((await k.kubectl(['get', 'clusterrole', role, '-o', 'yaml'])).stdout.includes('widgets') ? true : undefined), 10_000, `${role} to gather widgets`);
    }
  });

  it.each([
    ['1.32 (protobuf)', '/usr/bin/kubectl', 'pb'],
    ['1.27 (JSON)', kubectlBinary(27), 'json'],
  ])('creates roles and bindings with kubectl %s', async (_label, binary, suffix) => {
    const run = (args: string[]) => k.kubectl(args, { binary });
    expect((await run(['create', 'role', `pod-reader-${suffix}`, '-n', 'rbac', '--verb=get,list,watch', '--resource=pods,pods/log'])).stdout.trim()).toBe(
      `role.rbac.authorization.k8s.io/pod-reader-${suffix} created`,
    );
    expect((await run(['create', 'clusterrole', `node-reader-${suffix}`, '--verb=get', '--resource=nodes'])).stdout.trim()).toBe(
      `clusterrole.rbac.authorization.k8s.io/node-reader-${suffix} created`,
    );
    expect((await run(['create', 'clusterrole', `ops-${suffix}`, '--aggregation-rule=team=ops'])).stdout.trim()).toBe(`clusterrole.rbac.authorization.k8s.io/ops-${suffix} created`);
    expect(
      (await run(['create', 'rolebinding', `read-pods-${suffix}`, '-n', 'rbac', `--role=pod-reader-${suffix}`, '--user=jane', '--group=devs', '--serviceaccount=rbac:default'])).stdout.trim(),
    ).toBe(`rolebinding.rbac.authorization.k8s.io/read-pods-${suffix} created`);
    expect((await run(['create', 'clusterrolebinding', `read-nodes-${suffix}`, `--clusterrole=node-reader-${suffix}`, '--user=jane'])).stdout.trim()).toBe(
      `clusterrolebinding.rbac.authorization.k8s.io/read-nodes-${suffix} created`,
    );

    const role = JSON.parse((await run(['get', 'role', `pod-reader-${suffix}`, '-n', 'rbac', '-o', 'json'])).stdout) as { rules: unknown[] };
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }]);
    const wide = parseTable((await run(['get', 'rolebindings', '-n', 'rbac', '-o', 'wide'])).stdout);
    expect(wide.lines.find((l) => l.startsWith(`read-pods-${suffix} `))).toMatch(new RegExp(`^read-pods-${suffix}\\s+Role/pod-reader-${suffix}\\s+\\S+\\s+jane\\s+devs\\s+rbac/default$`));
    const binding = JSON.parse((await run(['get', 'rolebinding', `read-pods-${suffix}`, '-n', 'rbac', '-o', 'json'])).stdout) as { subjects: unknown[] };
    expect(binding.subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'jane' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'rbac' },
    ]);
    const aggregated = JSON.parse((await run(['get', 'clusterrole', `ops-${suffix}`, '-o', 'json'])).stdout) as { aggregationRule: unknown };
    expect(aggregated.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { team: 'ops' } }] });
  });

  it('answers invalid roles and bindings with the upstream messages', async () => {
    const badRole = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: bad
  namespace: rbac
rules:
- nonResourceURLs: ["/healthz"]
  verbs: ["get"]
- resources: ["pods"]
`;
    const r = await k.kubectl(['create', '-f', '-'], { stdin: badRole });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'The Role "bad" is invalid: \n* rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs\n* rules[1].verbs: Required value: verbs must contain at least one value\n* rules[1].apiGroups: Required value: resource rules must supply at least one api group',
    );
    const patch = await k.kubectl(['patch', 'clusterrolebinding', 'read-nodes-pb', '--type=merge', '-p', '{"roleRef":{"name":"view"}}']);
    expect(patch.code).toBe(1);
    expect(patch.stderr).toContain('roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef');
  });

  it('still authorizes everything', async () => {
    const r = await k.kubectl(['auth', 'can-i', 'delete', 'clusterroles', '--as=jane']);
    expect(r.stdout.trim()).toBe('yes');
  });
});
