import { nodeResource as nodes, type Node } from './node.resource';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const now = new Date('2024-05-01T12:00:00Z');
const node = (extra: Partial<Node> = {}): Node => ({
  metadata: { name: 'node-1', creationTimestamp: '2024-04-30T12:00:00Z', labels: {} },
  spec: {},
  status: {
    conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
    addresses: [
      { type: 'InternalIP', address: '10.0.0.1' },
      { type: 'Hostname', address: 'node-1' },
    ],
    nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Debian GNU/Linux 12', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
  },
  ...extra,
});

describe('Node', () => {
  it('accepts a registered node', () => {
    expect(nodes.validate!(node())).toEqual([]);
  });

  it('defaults allocatable to capacity and canonicalizes quantities', () => {
    const n = node({ status: { capacity: { cpu: '4', memory: '8192Mi', pods: 110 } } });
    nodes.applyDefaults!(n);
    expect(n.status?.capacity).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
    expect(n.status?.allocatable).toEqual({ cpu: '4', memory: '8Gi', pods: '110' });
  });

  it('keeps podCIDR and podCIDRs in step', () => {
    const n = node({ spec: { podCIDR: '10.244.1.0/24' } });
    nodes.applyDefaults!(n);
    expect(n.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
  });

  it('validates taints under metadata.taints like upstream', () => {
    const n = node({
      spec: {
        taints: [
          { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
          { key: 'dedicated', value: 'x', effect: 'NoSchedule' },
          { key: 'bad key', effect: 'Sometimes' },
          { key: 'k' },
        ],
      },
    });
    expect(text(nodes.validate!(n))).toEqual([
      expect.stringMatching(/^metadata\.taints\[1\]: Duplicate value: .*: taints must be unique by key and effect pair$/),
      expect.stringMatching(/^metadata\.taints\[2\]\.key: Invalid value: "bad key": name part must consist of/),
      'metadata.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'metadata.taints[3].effect: Required value',
    ]);
  });

  it('checks capacity quantities at status.capacity.<name>', () => {
    expect(text(nodes.validate!(node({ status: { capacity: { cpu: '-1', pods: '1500m' } } })))).toEqual([
      'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0',
      'status.capacity.pods: Invalid value: 1500m: must be an integer',
    ]);
  });

  it('checks pod CIDRs', () => {
    expect(text(nodes.validate!(node({ spec: { podCIDRs: ['10.0.0.0/33'] } })))).toEqual([
      'spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    expect(nodes.validate!(node({ spec: { podCIDRs: ['10.0.0.0/24', 'fd00::/64'] } }))).toEqual([]);
    expect(text(nodes.validate!(node({ spec: { podCIDRs: ['10.0.0.0/24', '10.0.1.0/24'] } })))[0]).toMatch(
      /^spec\.podCIDRs: Invalid value: .*: may specify no more than one CIDR for each IP family$/,
    );
  });

  it('refuses to change podCIDRs or providerID once set', () => {
    const old = node({ spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'sim://node-1' } });
    expect(nodes.validateUpdate!(node({ spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'sim://node-1', unschedulable: true } }), old)).toEqual([]);
    expect(text(nodes.validateUpdate!(node({ spec: { podCIDRs: ['10.0.9.0/24'], providerID: 'x' } }), old))).toEqual([
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ]);
  });

  it('prints STATUS, ROLES, VERSION and the wide columns like printNode', () => {
    expect(nodes.table!.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`)).toEqual([
      'Name',
      'Status',
      'Roles',
      'Age',
      'Version',
      'Internal-IP*',
      'External-IP*',
      'OS-Image*',
      'Kernel-Version*',
      'Container-Runtime*',
    ]);
    const n = node({ metadata: { name: 'cp', creationTimestamp: '2024-04-30T12:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'etcd' } } });
    n.spec = { unschedulable: true };
    expect(nodes.table!.cells(n, now)).toEqual(['cp', 'Ready,SchedulingDisabled', 'control-plane,etcd', '24h', 'v1.32.4', '10.0.0.1', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'containerd://1.7.0']);
    expect(nodes.table!.cells(node({ status: {} }), now).slice(1, 3)).toEqual(['Unknown', '<none>']);
    expect(nodes.table!.cells(node({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }), now)[1]).toBe('NotReady');
    expect(nodes.table!.cells(node({ status: {} }), now).slice(7)).toEqual(['<unknown>', '<unknown>', '<unknown>']);
  });

  it('selects by spec.unschedulable', () => {
    expect(nodes.selectableFields!(node())).toEqual({ 'spec.unschedulable': 'false' });
    expect(nodes.selectableFields!(node({ spec: { unschedulable: true } }))).toEqual({ 'spec.unschedulable': 'true' });
  });
});
