import { controllerOf } from '../../../controller-runtime/controller-ref';
import { FieldError } from '../../../machinery/errors/status-error';
import { parseApiVersion } from '../../../machinery/meta/types';
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE } from '../../../machinery/table/table';
import { semanticEqual } from '../../../machinery/validation/common';
import { defineResource } from '../../../registry/resource-type';
import type { ControllerRevision } from './controllerrevision.types';

export type { ControllerRevision } from './controllerrevision.types';

function validateControllerRevision(rev: ControllerRevision): FieldError[] {
  const errors: FieldError[] = [];
  if (rev.data === undefined || rev.data === null) errors.push(FieldError.required('data', 'data is mandatory'));
  if (typeof rev.revision === 'number' && rev.revision < 0) errors.push(FieldError.invalid('revision', rev.revision, 'must be greater than or equal to 0'));
  return errors;
}

/**
 * apps/v1 ControllerRevision (pkg/registry/apps/controllerrevision): the template history that
 * StatefulSets and DaemonSets keep, read by `kubectl rollout history/undo`. Data never changes.
 */
export const controllerRevisionResource = defineResource<ControllerRevision>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  definition: 'io.k8s.api.apps.v1.ControllerRevision',

  validate: validateControllerRevision,
  validateUpdate(rev, old) {
    const errors = validateControllerRevision(rev);
    if (!semanticEqual(rev.data, old.data)) errors.push(FieldError.invalid('data', rev.data, 'field is immutable'));
    return errors;
  },

  // printControllerRevision: the controller as kind.group/name.
  table: {
    columns: [
      NAME_COLUMN,
      { name: 'Controller', type: 'string', description: 'The object that owns this revision.' },
      { name: 'Revision', type: 'integer', description: 'The revision number.' },
      AGE_COLUMN,
    ],
    cells: (rev, now) => {
      const ref = controllerOf(rev);
      let controller = NONE;
      if (ref) {
        const group = parseApiVersion(ref.apiVersion).group;
        controller = `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
      }
      return [rev.metadata.name, controller, rev.revision ?? 0, ageCell(rev.metadata.creationTimestamp, now)];
    },
  },
});
