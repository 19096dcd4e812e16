/**
 * ObjectMeta validation as k8s.io/apimachinery/pkg/api/validation/objectmeta.go performs it, plus the
 * finalizer-name rule pkg/apis/core/validation adds for built-in kinds. Paths and texts match the real
 * server, quirks included (ownerReferences and finalizers errors carry no list index).
 */
import { FieldError } from '../errors/status-error';
import type { ObjectMeta, OwnerReference } from '../meta/types';
import { byteLength, FIELD_IMMUTABLE, goStringSlice, goTimeString, IS_NEGATIVE, semanticEqual } from './common';
import { dns1123LabelErrors, dns1123SubdomainErrors, labelValueErrors, qualifiedNameErrors } from './names';

export type NameErrorsFn = (name: string) => string[];

export interface ObjectMetaOptions {
  namespaced: boolean;
  /** The kind's name format (most kinds: DNS-1123 subdomain; namespaces: DNS-1123 label). */
  nameErrors: NameErrorsFn;
  /**
   * Reject single-segment finalizer names other than kubernetes/orphan/foregroundDeletion. Built-in
   * kinds validated through pkg/apis/core/validation do; Lease and core/v1 Event do not.
   */
  kubeFinalizerNames?: boolean;
}

/** ObjectMeta rules a kind may declare in its ResourceType (`metaRules`). */
export interface MetaRules {
  nameErrors?: NameErrorsFn;
  kubeFinalizerNames?: boolean;
}

/** The options validateObjectMeta needs for a declared kind (defaults: DNS-1123 subdomain names). */
export function metaOptionsOf(declaration: { namespaced: boolean; metaRules?: MetaRules }): ObjectMetaOptions {
  const rules = declaration.metaRules ?? {};
  return {
    namespaced: declaration.namespaced,
    nameErrors: rules.nameErrors ?? dns1123SubdomainErrors,
    kubeFinalizerNames: rules.kubeFinalizerNames ?? true,
  };
}

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;
const MAX_FIELD_MANAGER_LENGTH = 128;
const MAX_SUBRESOURCE_NAME_LENGTH = 256;
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/** NameIsDNSSubdomain etc. are called with prefix=true for generateName: a trailing dash is masked. */
export function maskTrailingDash(name: string): string {
  // Upstream drops two characters and appends "a"; the resulting length quirk is kept on purpose.
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** path.IsValidPathSegmentName: the only name rule core/v1 Events (and custom resources) get. */
export function pathSegmentNameErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errors: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errors.push(`may not contain '${bad}'`);
  return errors;
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const msg of qualifiedNameErrors(key)) errors.push(FieldError.invalid(path, key, msg));
    for (const msg of labelValueErrors(String(value ?? ''))) errors.push(FieldError.invalid(path, value, msg));
  }
  return errors;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    // Annotation keys are qualified names compared case-insensitively.
    for (const msg of qualifiedNameErrors(key.toLowerCase())) errors.push(FieldError.invalid(path, key, msg));
    size += byteLength(key) + byteLength(String(value ?? ''));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errors.push(FieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errors;
}

/** schema.ParseGroupVersion: "v1" → ("", "v1"), "apps/v1" → ("apps", "v1"), anything else → empty. */
function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: parts[0] };
  if (parts.length === 2) return { group: parts[0], version: parts[1] };
  return { group: '', version: '' };
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const { group, version } = splitApiVersion(apiVersion);
    if (!version) errors.push(FieldError.invalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!ref.kind) errors.push(FieldError.invalid(`${path}.kind`, ref.kind ?? '', 'must not be empty'));
    if (!ref.name) errors.push(FieldError.invalid(`${path}.name`, ref.name ?? '', 'must not be empty'));
    if (!ref.uid) errors.push(FieldError.invalid(`${path}.uid`, ref.uid ?? '', 'must not be empty'));
    if (group === '' && version === 'v1' && ref.kind === 'Event') {
      errors.push(FieldError.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    }
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errors.push(
          FieldError.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errors;
}

export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const finalizer of finalizers ?? []) {
    for (const msg of qualifiedNameErrors(finalizer)) errors.push(FieldError.invalid(path, finalizer, msg));
  }
  const list = finalizers ?? [];
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errors.push(FieldError.invalid(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errors;
}

/** validateKubeFinalizerName: a finalizer without a "/" must be one of the standard ones. */
export function kubeFinalizerNameErrors(finalizers: string[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (finalizers ?? []).forEach((finalizer, i) => {
    if (!finalizer.includes('/') && !STANDARD_FINALIZERS.has(finalizer)) {
      errors.push(FieldError.invalid(`${path}[${i}]`, finalizer, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errors;
}

function validateManagedFields(meta: ObjectMeta, path: string): FieldError[] {
  const errors: FieldError[] = [];
  (meta.managedFields ?? []).forEach((entry, i) => {
    const at = `${path}[${i}]`;
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') {
      errors.push(FieldError.invalid(`${at}.operation`, entry.operation ?? '', 'must be `Apply` or `Update`'));
    }
    if (entry.fieldsType && entry.fieldsType !== 'FieldsV1') {
      errors.push(FieldError.invalid(`${at}.fieldsType`, entry.fieldsType, 'must be `FieldsV1`'));
    }
    if (entry.manager && byteLength(entry.manager) > MAX_FIELD_MANAGER_LENGTH) {
      errors.push(FieldError.tooLong(`${at}.manager`, MAX_FIELD_MANAGER_LENGTH));
    }
    if (entry.subresource && byteLength(entry.subresource) > MAX_SUBRESOURCE_NAME_LENGTH) {
      errors.push(FieldError.tooLong(`${at}.subresource`, MAX_SUBRESOURCE_NAME_LENGTH));
    }
  });
  return errors;
}

/** The checks ValidateObjectMeta and ValidateObjectMetaUpdate share. */
function commonChecks(meta: ObjectMeta): FieldError[] {
  return [
    ...validateLabels(meta.labels, 'metadata.labels'),
    ...validateAnnotations(meta.annotations, 'metadata.annotations'),
    ...validateOwnerReferences(meta.ownerReferences, 'metadata.ownerReferences'),
  ];
}

/**
 * ValidateObjectMeta for a create. Expects name generation to have happened already (the store sets
 * `name` from `generateName` first), and a cluster-scoped object's namespace to have been cleared.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, options: ObjectMetaOptions): FieldError[] {
  const m = meta ?? {};
  const errors: FieldError[] = [];
  if (m.generateName) {
    for (const msg of options.nameErrors(maskTrailingDash(m.generateName))) errors.push(FieldError.invalid('metadata.generateName', m.generateName, msg));
  }
  if (!m.name) {
    errors.push(FieldError.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of options.nameErrors(m.name)) errors.push(FieldError.invalid('metadata.name', m.name, msg));
  }
  if (options.namespaced) {
    if (!m.namespace) errors.push(FieldError.required('metadata.namespace'));
    else for (const msg of dns1123LabelErrors(m.namespace)) errors.push(FieldError.invalid('metadata.namespace', m.namespace, msg));
  } else if (m.namespace) {
    errors.push(FieldError.forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (typeof m.generation === 'number' && m.generation < 0) errors.push(FieldError.invalid('metadata.generation', m.generation, IS_NEGATIVE));
  errors.push(...commonChecks(m));
  errors.push(...validateFinalizers(m.finalizers, 'metadata.finalizers'));
  errors.push(...validateManagedFields(m, 'metadata.managedFields'));
  if (options.kubeFinalizerNames ?? true) errors.push(...kubeFinalizerNameErrors(m.finalizers, 'metadata.finalizers'));
  return errors;
}

function immutable(newValue: unknown, oldValue: unknown, path: string, show: (v: unknown) => unknown = (v) => v ?? null): FieldError[] {
  return semanticEqual(newValue, oldValue) ? [] : [FieldError.invalid(path, show(newValue), FIELD_IMMUTABLE)];
}

/** metav1.Time prints through time.Time.String(); an unset pointer prints as null. */
const showTime = (v: unknown): unknown => (typeof v === 'string' && v ? goTimeString(v) : null);

/**
 * ValidateObjectMetaUpdate (with the core finalizer-name rule). The store is expected to have copied
 * generation, creationTimestamp, deletionTimestamp and uid from the stored object and filled in the
 * resourceVersion of an unconditional update first, as the apiserver's BeforeUpdate does.
 */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, oldMeta: ObjectMeta | undefined, options: Pick<ObjectMetaOptions, 'kubeFinalizerNames'> = {}): FieldError[] {
  const m = meta ?? {};
  const old = oldMeta ?? {};
  const errors: FieldError[] = [];
  if (old.deletionTimestamp) {
    const before = new Set(old.finalizers ?? []);
    const added = [...new Set((m.finalizers ?? []).filter((f) => !before.has(f)))].sort();
    if (added.length) {
      errors.push(
        FieldError.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`),
      );
    }
  }
  if (!m.resourceVersion) errors.push(FieldError.invalid('metadata.resourceVersion', m.resourceVersion ?? '', 'must be specified for an update'));
  if ((m.generation ?? 0) < (old.generation ?? 0)) errors.push(FieldError.invalid('metadata.generation', m.generation ?? 0, 'must not be decremented'));
  errors.push(...immutable(m.name ?? '', old.name ?? '', 'metadata.name'));
  errors.push(...immutable(m.namespace ?? '', old.namespace ?? '', 'metadata.namespace'));
  errors.push(...immutable(m.uid ?? '', old.uid ?? '', 'metadata.uid'));
  errors.push(...immutable(m.creationTimestamp, old.creationTimestamp, 'metadata.creationTimestamp', showTime));
  errors.push(...immutable(m.deletionTimestamp, old.deletionTimestamp, 'metadata.deletionTimestamp', showTime));
  errors.push(...immutable(m.deletionGracePeriodSeconds, old.deletionGracePeriodSeconds, 'metadata.deletionGracePeriodSeconds'));
  errors.push(...commonChecks(m));
  errors.push(...validateManagedFields(m, 'metadata.managedFields'));
  if (options.kubeFinalizerNames ?? true) errors.push(...kubeFinalizerNameErrors(m.finalizers, 'metadata.finalizers'));
  return errors;
}
