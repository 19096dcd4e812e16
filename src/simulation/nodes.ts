import { StatusError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import type { ResourceRegistry } from '../registry/registry';
import { formatTime, type Clock } from './clock';

const CAPACITY = { cpu: '4', 'ephemeral-storage': '61255492Ki', 'hugepages-2Mi': '0', memory: '8148204Ki', pods: '110' };
const ALLOCATABLE = { cpu: '4', 'ephemeral-storage': '56453061334', 'hugepages-2Mi': '0', memory: '8045804Ki', pods: '110' };

/** The conditions a healthy simulated kubelet reports, all changed at `now`. */
export function simulatedConditions(now: Date): { type: string; status: string; lastHeartbeatTime: string; lastTransitionTime: string; reason: string; message: string }[] {
  const time = formatTime(now);
  const condition = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: time, lastTransitionTime: time, reason, message });
  return [
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function simulatedNodeName(index: number): string {
  return `kubemu-node-${index}`;
}

/** The Node object a simulated kubelet registers, with every field generated clients require. */
export function simulatedNode(index: number, now: Date, kubeletVersion: string): KubeObject {
  const name = simulatedNodeName(index);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(index === 1 ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: `10.244.${index - 1}.0/24`, podCIDRs: [`10.244.${index - 1}.0/24`] },
    status: {
      capacity: CAPACITY,
      allocatable: ALLOCATABLE,
      conditions: simulatedConditions(now),
      addresses: [
        { type: 'InternalIP', address: `172.18.0.${index + 1}` },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: `kubemu${String(index).padStart(27, '0')}`,
        systemUUID: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
        bootID: `00000000-0000-0000-0000-${String(index).padStart(12, '0')}`,
        kernelVersion: '6.1.0-kubemu',
        osImage: 'kubemu simulated node',
        containerRuntimeVersion: 'containerd://1.7.0-kubemu',
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** Register the simulated nodes a new cluster starts with; a restart finds them already stored. */
export async function registerSimulatedNodes(registry: ResourceRegistry, clock: Clock, count: number, kubeletVersion: string): Promise<void> {
  const nodes = registry.forKind('', 'Node');
  const register = async (index: number) => {
    const node = simulatedNode(index, clock.now(), kubeletVersion);
    if (nodes.find(undefined, node.metadata.name!)) return;
    try {
      const created = await nodes.create(undefined, structuredClone(node));
      // A kubelet registers the node, then reports its status through the status subresource.
      await nodes.update(undefined, node.metadata.name!, { ...created.object, status: node.status }, {}, 'status');
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
  };
  // Registered concurrently so their writes share commits.
  await Promise.all(Array.from({ length: count }, (_, i) => register(i + 1)));
}
