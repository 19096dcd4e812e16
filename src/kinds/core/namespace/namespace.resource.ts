import type { KubeObject } from '../../../machinery/meta/types';
import { AGE_COLUMN, ageCell, NAME_COLUMN } from '../../../machinery/table/table';
import { validateRules } from '../../../machinery/validation/class-validation';
import { dns1123LabelErrors } from '../../../machinery/validation/names';
import { defineResource } from '../../../registry/resource-type';
import { namespaceUpdateErrors, NamespaceSpecRules } from './namespace.validation';

export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: Record<string, unknown>[] };
}

/** The label every namespace carries with its own name, so selectors can pick namespaces by name. */
export const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';
/** The finalizer the namespace controller removes once the namespace is empty. */
export const KUBERNETES_FINALIZER = 'kubernetes';

const hasItems = (list: string[] | undefined) => (list?.length ?? 0) > 0;

export const namespaceResource = defineResource<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  definition: 'io.k8s.api.core.v1.Namespace',
  statusSubresource: true,

  applyDefaults(ns) {
    // SetDefaults_Namespace + Canonicalize: the name label always matches the name.
    if (ns.metadata.name) ns.metadata.labels = { ...ns.metadata.labels, [METADATA_NAME_LABEL]: ns.metadata.name };
    if (ns.status && !ns.status.phase) ns.status.phase = 'Active';
  },

  prepareForCreate(ns) {
    ns.status = { phase: 'Active' };
    const finalizers = ns.spec?.finalizers ?? [];
    if (!finalizers.includes(KUBERNETES_FINALIZER)) ns.spec = { ...ns.spec, finalizers: [...finalizers, KUBERNETES_FINALIZER] };
  },

  prepareForUpdate(ns, old) {
    // spec.finalizers belongs to the namespace controller, which changes it through /finalize only.
    ns.spec = { ...ns.spec };
    if (old.spec?.finalizers?.length) ns.spec.finalizers = [...old.spec.finalizers];
    else delete ns.spec.finalizers;
  },

  subresourceWriters: {
    finalize(stored, requested) {
      stored.spec = { ...stored.spec };
      if (requested.spec?.finalizers?.length) stored.spec.finalizers = [...requested.spec.finalizers];
      else delete stored.spec.finalizers;
    },
  },

  validate: (ns) => validateRules(NamespaceSpecRules, ns.spec ?? {}, 'spec'),
  validateUpdate: namespaceUpdateErrors,

  beforeDelete(ns) {
    // The first DELETE starts termination; the object stays until its finalizers are gone.
    const keep = hasItems(ns.spec?.finalizers) || hasItems(ns.metadata.finalizers);
    if (keep) ns.status = { ...ns.status, phase: 'Terminating' };
    return keep;
  },

  readyToRemove: (ns) => !hasItems(ns.spec?.finalizers) && !hasItems(ns.metadata.finalizers),

  selectableFields: (ns) => ({
    'status.phase': ns.status?.phase ?? '',
    // Upstream keeps this unqualified alias for compatibility.
    name: ns.metadata.name ?? '',
  }),

  table: {
    columns: [NAME_COLUMN, { name: 'Status', type: 'string', description: 'The status of the namespace.' }, AGE_COLUMN],
    cells: (ns, now) => [ns.metadata.name, ns.status?.phase ?? '', ageCell(ns.metadata.creationTimestamp, now)],
  },
  metaRules: { nameErrors: dns1123LabelErrors },
});
