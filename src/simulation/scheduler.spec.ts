import type { Pod } from '../kinds/core/pod/pod.types';
import { tolerates } from '../machinery/selectors/node-selector';
import { fitErrorMessage, matchesNodeAffinity, podRequests, type Node } from './scheduler';

const node = (name: string, labels: Record<string, string> = {}): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
const pod = (spec: Pod['spec']): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec });

describe('scheduler filters', () => {
  it('matches nodeSelector and required node affinity terms (ORed terms, ANDed requirements)', () => {
    const ssd = node('a', { disk: 'ssd', zone: 'z1', cores: '8' });
    const hdd = node('b', { disk: 'hdd', zone: 'z2', cores: '2' });
    expect(matchesNodeAffinity(pod({ nodeSelector: { disk: 'ssd' } }), ssd)).toBe(true);
    expect(matchesNodeAffinity(pod({ nodeSelector: { disk: 'ssd' } }), hdd)).toBe(false);
    const affinity = (terms: unknown[]) => pod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    const terms = [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z9'] }] }, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }, { key: 'gpu', operator: 'DoesNotExist' }] }];
    expect(matchesNodeAffinity(affinity(terms), ssd)).toBe(true);
    expect(matchesNodeAffinity(affinity(terms), hdd)).toBe(false);
    expect(matchesNodeAffinity(affinity([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }]), hdd)).toBe(true);
    // A term without requirements selects no node.
    expect(matchesNodeAffinity(affinity([{}]), ssd)).toBe(false);
  });

  it('tolerates taints by key, value and effect, or by Exists', () => {
    const taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
    expect(tolerates([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], taint)).toBe(true);
    expect(tolerates([{ operator: 'Exists' }], taint)).toBe(true);
    expect(tolerates([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Equal', value: 'x' }], taint)).toBe(false);
    expect(tolerates([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoExecute' }], taint)).toBe(false);
    expect(tolerates(undefined, taint)).toBe(false);
  });

  it('adds container requests, takes the largest init container and the overhead', () => {
    const requests = podRequests(
      pod({
        containers: [{ name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { name: 'b', resources: { requests: { cpu: '0.5' } } }],
        initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }],
        overhead: { memory: '1Mi' },
      }),
    );
    expect(requests.get('cpu')).toBe(2000);
    expect(requests.get('memory')).toBe(65 * 1024 * 1024);
  });

  it('words a FitError as the real scheduler does', () => {
    expect(
      fitErrorMessage([
        { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false },
        { reasons: ['Insufficient cpu', 'Insufficient memory'], resolvable: true },
        { reasons: ['Insufficient cpu'], resolvable: true },
      ]),
    ).toBe(
      "0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });
});
