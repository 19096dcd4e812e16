/**
 * PriorityClasses through real kubectl: the system classes a cluster starts with, kubectl create
 * priorityclass, the printer, priority admission of pods and a second global default refused.
 */
import { kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';

let k: Kubemu;

beforeAll(async () => {
  k = await startKubemu();
});
afterAll(() => k.close());

describe('kubectl and PriorityClasses', () => {
  it('lists the system classes', async () => {
    const table = parseTable((await k.kubectl(['get', 'priorityclasses'])).stdout);
    expect(table.header.split(/\s{2,}/)).toEqual(['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    expect(table.rows.map((r) => [r[0], r[1], r[2], r[4]])).toEqual([
      ['system-cluster-critical', '2000000000', 'false', 'PreemptLowerPriority'],
      ['system-node-critical', '2000001000', 'false', 'PreemptLowerPriority'],
    ]);
  });

  it.each([
    ['1.32', '/usr/bin/kubectl', 'high'],
    ['1.27', kubectlBinary(27), 'higher'],
  ])('creates classes with kubectl %s', async (_label, binary, name) => {
    const r = await k.kubectl(['create', 'priorityclass', name, '--value=1000', '--description=for important pods', '--preemption-policy=Never'], { binary });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`priorityclass.scheduling.k8s.io/${name} created`);
    const pc = JSON.parse((await k.kubectl(['get', 'pc', name, '-o', 'json'])).stdout) as Record<string, unknown>;
    expect(pc).toMatchObject({ value: 1000, description: 'for important pods', preemptionPolicy: 'Never' });
  });

  it('gives pods the priority of their class and refuses unknown classes', async () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: important
spec:
  priorityClassName: high
  containers:
  - name: c
    image: nginx
`;
    expect((await k.kubectl(['apply', '-f', '-'], { stdin: pod })).stdout.trim()).toBe('pod/important created');
    const spec = JSON.parse((await k.kubectl(['get', 'pod', 'important', '-o', 'jsonpath={.spec}'])).stdout) as Record<string, unknown>;
    expect(spec).toMatchObject({ priorityClassName: 'high', priority: 1000, preemptionPolicy: 'Never' });
    const described = (await k.kubectl(['describe', 'pod', 'important'])).stdout;
    expect(described).toMatch(/^Priority:\s+1000$/m);
    expect(described).toMatch(/^Priority Class Name:\s+high$/m);

    const r = await k.kubectl(['apply', '-f', '-'], { stdin: pod.replace('name: important', 'name: lost').replace('priorityClassName: high', 'priorityClassName: nope') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('pods "lost" is forbidden: no PriorityClass with name nope was found');
  });

  it('allows one global default and refuses reserved names', async () => {
    expect((await k.kubectl(['create', 'priorityclass', 'default-low', '--value=10', '--global-default'])).code).toBe(0);
    const second = await k.kubectl(['create', 'priorityclass', 'default-other', '--value=20', '--global-default']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('priorityclasses.scheduling.k8s.io "default-other" is forbidden: PriorityClass default-low is already marked as default. Only one default can exist');
    expect((await k.kubectl(['run', 'plain', '--image=nginx'])).code).toBe(0);
    expect((await k.kubectl(['get', 'pod', 'plain', '-o', 'jsonpath={.spec.priorityClassName}/{.spec.priority}'])).stdout).toBe('default-low/10');

    const reserved = await k.kubectl(['create', 'priorityclass', 'system-mine', '--value=10']);
    expect(reserved.code).toBe(1);
    expect(reserved.stderr).toContain("metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class");
  });
});
