import type { FieldError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import { metaOptionsOf, validateObjectMeta, validateObjectMetaUpdate } from '../machinery/validation/object-meta';
import type { MetaScope } from './generic-store';

/** ObjectMeta rules for a create, with the kind's own name format. */
export function validateMetaForType(obj: KubeObject, type: MetaScope): FieldError[] {
  return validateObjectMeta(obj.metadata, metaOptionsOf(type));
}

export function validateMetaUpdateForType(obj: KubeObject, old: KubeObject, type: MetaScope): FieldError[] {
  return validateObjectMetaUpdate(obj.metadata, old.metadata, metaOptionsOf(type));
}
