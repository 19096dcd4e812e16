import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import { formatLabelSelector } from '../../apps/pod-template';
import type { NetworkPolicy } from '../networking.types';
import { validateNetworkPolicy } from '../networking.validation';

/**
 * networking.k8s.io/v1 NetworkPolicy (pkg/registry/networking/networkpolicy). Stored and served;
 * the simulated network does not enforce it.
 */
export const networkPolicyResource = defineResource<NetworkPolicy>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'NetworkPolicy',
  plural: 'networkpolicies',
  singular: 'networkpolicy',
  namespaced: true,
  shortNames: ['netpol'],
  definition: 'io.k8s.api.networking.v1.NetworkPolicy',
  generationFields: ['spec'],

  applyDefaults(policy) {
    // SetDefaults_NetworkPolicy: a policy naming no types is an Ingress policy, and an Egress one too when it has egress rules.
    const spec = (policy.spec ??= {});
    if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  },
  validate: validateNetworkPolicy,
  validateUpdate: validateNetworkPolicy,

  table: {
    columns: [NAME_COLUMN, { name: 'Pod-Selector', type: 'string', description: 'The pods the policy applies to.' }, AGE_COLUMN],
    cells: (policy, now) => [policy.metadata.name, formatLabelSelector(policy.spec?.podSelector), ageCell(policy.metadata.creationTimestamp, now)],
  },
});
