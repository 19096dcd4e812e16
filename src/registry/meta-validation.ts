import type { FieldError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import { metaOptionsOf, validateObjectMeta, validateObjectMetaUpdate } from '../machinery/validation/object-meta';
import type { ResourceType } from './resource-type';

/** ObjectMeta rules for a create, with the kind's own name format. */
export function validateMetaForType(obj: KubeObject, type: ResourceType): FieldError[] {
  return validateObjectMeta(obj.metadata, metaOptionsOf(type));
}

export function validateMetaUpdateForType(obj: KubeObject, old: KubeObject, type: ResourceType): FieldError[] {
  return validateObjectMetaUpdate(obj.metadata, old.metadata, metaOptionsOf(type));
}
