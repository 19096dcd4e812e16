import { validateRules } from '../../../machinery/validation/class-validation';
import { canonicalizeResourceList } from '../../../machinery/quantity/quantity';
import { defineResource } from '../../../registry/resource-type';
import { nodeTable } from './node.table';
import type { Node } from './node.types';
import { externalIdErrors, NodeSpecRules, NodeTaintRules, nodeResourceErrors, nodeUpdateErrors } from './node.validation';

export type { Node } from './node.types';

/** podCIDR and podCIDRs are one field in two shapes; the conversions keep them in step. */
function syncPodCIDRs(node: Node): void {
  const spec = node.spec;
  if (!spec) return;
  if (spec.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
  if (spec.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0];
}

const validateTaints = (node: Node) => validateRules(NodeTaintRules, node.spec ?? {}, 'metadata');

export const nodeResource = defineResource<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  definition: 'io.k8s.api.core.v1.Node',
  statusSubresource: true,

  applyDefaults(node) {
    syncPodCIDRs(node);
    const status = node.status;
    if (!status) return;
    canonicalizeResourceList(status.capacity);
    canonicalizeResourceList(status.allocatable);
    // SetDefaults_NodeStatus: a node that reports capacity but no allocatable can use all of it.
    if (status.allocatable === undefined && status.capacity !== undefined) status.allocatable = { ...status.capacity };
  },

  // A node registers with its status (the kubelet creates it so), hence no prepareForCreate.

  validate: (node) => [...validateTaints(node), ...nodeResourceErrors(node), ...validateRules(NodeSpecRules, node.spec ?? {}, 'spec')],

  validateUpdate: (node, old) => [...nodeResourceErrors(node), ...nodeUpdateErrors(node, old), ...validateTaints(node), ...externalIdErrors(node, old)],

  selectableFields: (node) => ({ 'spec.unschedulable': String(node.spec?.unschedulable === true) }),

  table: nodeTable,
});
