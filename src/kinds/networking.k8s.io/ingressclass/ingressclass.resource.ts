import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE } from '../../../machinery/table/table';
import { defineResource } from '../../../registry/resource-type';
import type { IngressClass } from '../networking.types';
import { validateIngressClass, validateIngressClassUpdate } from '../networking.validation';

/** networking.k8s.io/v1 IngressClass (pkg/registry/networking/ingressclass): which controller serves Ingresses of a class. */
export const ingressClassResource = defineResource<IngressClass>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  definition: 'io.k8s.api.networking.v1.IngressClass',
  generationFields: ['spec'],

  applyDefaults(ingressClass) {
    // SetDefaults_IngressClass: parameters without a scope are cluster-scoped.
    const parameters = ingressClass.spec?.parameters;
    if (parameters && (parameters.scope === undefined || parameters.scope === null)) parameters.scope = 'Cluster';
  },
  validate: validateIngressClass,
  validateUpdate: validateIngressClassUpdate,

  // printIngressClass: the parameters as Kind[.group]/name.
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Controller', type: 'string', description: 'The controller that implements the class.' },
      { name: 'Parameters', type: 'string', description: 'The object holding the controller\'s configuration for the class.' },
      AGE_COLUMN,
    ],
    cells(ingressClass, now) {
      const p = ingressClass.spec?.parameters;
      const parameters = p ? `${p.kind ?? ''}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name ?? ''}` : NONE;
      return [ingressClass.metadata.name, ingressClass.spec?.controller ?? '', parameters, ageCell(ingressClass.metadata.creationTimestamp, now)];
    },
  },
});
