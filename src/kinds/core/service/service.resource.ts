import { defineResource } from '../../../registry/resource-type';
import { allocateService } from './service.allocation';
import { defaultService } from './service.defaults';
import { serviceTable } from './service.table';
import type { Service } from './service.types';
import { validateService, validateServiceUpdate } from './service.validation';

export type { Service } from './service.types';

/**
 * core/v1 Service: defaults, the cluster-IP and node-port allocators, validation and the printer.
 * Endpoints and the proxying that make a Service answer are other kinds' and reconcilers' work.
 */
export const serviceResource = defineResource<Service>({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  definition: 'io.k8s.api.core.v1.Service',
  statusSubresource: true,

  applyDefaults: defaultService,
  allocate: allocateService,
  prepareForCreate(svc) {
    svc.status = { loadBalancer: {} };
  },
  validate: validateService,
  validateUpdate: (svc, old) => [...validateServiceUpdate(svc, old), ...validateService(svc)],

  table: serviceTable,
});
