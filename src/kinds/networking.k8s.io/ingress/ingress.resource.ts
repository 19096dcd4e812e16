import { defineResource } from '../../../registry/resource-type';
import { INGRESS_CLASS_ANNOTATION, type Ingress } from '../networking.types';
import { validateIngressCreate, validateIngressSpec, validateIngressStatus } from '../networking.validation';
import { admitIngress } from './ingress.admission';
import { ingressTable } from './ingress.table';

/**
 * networking.k8s.io/v1 Ingress (pkg/registry/networking/ingress): HTTP routing to Services. kubemu
 * runs no ingress controller, so the status stays empty unless someone writes it.
 */
export const ingressResource = defineResource<Ingress>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  definition: 'io.k8s.api.networking.v1.Ingress',
  statusSubresource: true,
  generationFields: ['spec'],

  admit: admitIngress,
  prepareForCreate(ingress) {
    delete ingress.status;
  },
  validate: validateIngressCreate,
  validateUpdate: (ingress) => [...validateIngressSpec(ingress), ...validateIngressStatus(ingress)],
  warnings(ingress) {
    if (ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] === undefined) return [];
    return [`metadata.annotations[${INGRESS_CLASS_ANNOTATION}]: deprecated in v1.18+, use spec.ingressClassName instead`];
  },
  table: ingressTable,
});
