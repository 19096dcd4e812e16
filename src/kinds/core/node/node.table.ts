/** The node printer of pkg/printers/internalversion (printNode). */
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE, UNKNOWN, orNone } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import type { Node } from './node.types';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

/** Ready / NotReady / Unknown from the Ready condition, then SchedulingDisabled when cordoned. */
export function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').pop();
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from node-role.kubernetes.io/<role> labels and the older kubernetes.io/role=<role>. */
export function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata.labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX)) {
      const role = key.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (key === ROLE_LABEL && value) {
      roles.add(value);
    }
  }
  return [...roles].sort().join(',') || NONE;
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? NONE;
}

export const nodeTable: TableDeclaration<Node> = {
  columns: [
    NAME_COLUMN,
    { name: 'Status', type: 'string', description: 'The status of the node.' },
    { name: 'Roles', type: 'string', description: 'The roles of the node.' },
    AGE_COLUMN,
    { name: 'Version', type: 'string', description: 'The kubelet version the node reports.' },
    { name: 'Internal-IP', type: 'string', priority: 1, description: 'The first InternalIP address of the node.' },
    { name: 'External-IP', type: 'string', priority: 1, description: 'The first ExternalIP address of the node.' },
    { name: 'OS-Image', type: 'string', priority: 1, description: 'The OS image the node reports.' },
    { name: 'Kernel-Version', type: 'string', priority: 1, description: 'The kernel version the node reports.' },
    { name: 'Container-Runtime', type: 'string', priority: 1, description: 'The container runtime version the node reports.' },
  ],
  cells(node, now) {
    const info = node.status?.nodeInfo ?? {};
    return [
      node.metadata.name,
      nodeStatus(node),
      nodeRoles(node),
      ageCell(node.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      orNone(info.osImage, UNKNOWN),
      orNone(info.kernelVersion, UNKNOWN),
      orNone(info.containerRuntimeVersion, UNKNOWN),
    ];
  },
};
