/**
 * Pod volume rules of pkg/apis/core/validation (ValidateVolumes, validateVolumeSource and the checks of
 * the commonly used sources). Sources outside this list are counted (one source per volume) but their
 * contents are not checked.
 */
import { FieldError } from '../../../machinery/errors/status-error';
import {
  asFinding,
  Check,
  invalid,
  Nested,
  notSupported,
  required,
  Required,
  DnsLabel,
  validateRules,
  type Finding,
} from '../../../machinery/validation/class-validation';
import { isObject } from '../../../machinery/validation/common';
import { parseQuantity } from '../../../machinery/quantity/quantity';
import type { Volume } from './pod.types';
import { objectFieldSelectorFindings, resourceFieldSelectorFindings, VOLUME_FIELD_PATHS } from './pod.downward';

export const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

/** The source fields of a Volume, in the order validateVolumeSource looks at them. */
export const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'gitRepo',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'flocker',
  'persistentVolumeClaim',
  'rbd',
  'cinder',
  'cephfs',
  'quobyte',
  'downwardAPI',
  'fc',
  'flexVolume',
  'configMap',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'storageos',
  'projected',
  'scaleIO',
  'csi',
  'ephemeral',
  'image',
] as const;

/** Upstream names two sources differently in the "more than 1 volume type" error path. */
const FORBIDDEN_CHILD: Record<string, string> = { cephfs: 'cephFS', downwardAPI: 'downwarAPI' };

const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

export function fileModeFinding(mode: unknown, at?: string): Finding | undefined {
  return typeof mode === 'number' && (mode < 0 || mode > 0o777) ? invalid(mode, FILE_MODE_ERROR, at) : undefined;
}

/** validatePathNoBacksteps. */
export function backstepFindings(value: string, at?: string): Finding[] {
  return value.split('/').includes('..') ? [invalid(value, "must not contain '..'", at)] : [];
}

/** validateLocalDescendingPath: relative, no "..". */
export function localDescendingPathFindings(value: string, at?: string): Finding[] {
  const found: Finding[] = [];
  if (value.startsWith('/')) found.push(invalid(value, 'must be a relative path', at));
  return [...found, ...backstepFindings(value, at)];
}

/** ValidateLocalNonReservedPath: also may not start with "..". */
export function localNonReservedPathFindings(value: string, at?: string): Finding[] {
  const found = localDescendingPathFindings(value, at);
  if (value.startsWith('..')) found.push(invalid(value, "must not start with '..'", at));
  return found;
}

export class KeyToPathRules {
  @Required() key?: string;
  @Required() @Check<string | undefined>((path) => localNonReservedPathFindings(path ?? '')) path?: string;
  @Check((mode) => fileModeFinding(mode)) mode?: number;
}

class SecretSourceRules {
  @Required() secretName?: string;
  @Check((mode) => fileModeFinding(mode)) defaultMode?: number;
  @Nested(() => KeyToPathRules) items?: KeyToPathRules[];
}

class ConfigMapSourceRules {
  @Required() name?: string;
  @Check((mode) => fileModeFinding(mode)) defaultMode?: number;
  @Nested(() => KeyToPathRules) items?: KeyToPathRules[];
}

class HostPathSourceRules {
  @Check<string | undefined>((path) => (path ? backstepFindings(path) : required())) path?: string;
  @Check<string | undefined, { path?: string }>((type, owner) =>
    owner.path && type !== undefined && type !== null && !HOST_PATH_TYPES.includes(type) ? notSupported(type, HOST_PATH_TYPES) : undefined,
  )
  type?: string;
}

class EmptyDirSourceRules {
  @Check((limit) => (limit !== undefined && limit !== null && parseQuantity(limit)?.negative ? { type: 'FieldValueForbidden', detail: 'SizeLimit field must be a valid resource quantity' } : undefined))
  sizeLimit?: unknown;
}

class ClaimSourceRules {
  @Required() claimName?: string;
}

class NfsSourceRules {
  @Required() server?: string;
  @Required() @Check<string | undefined>((path) => ((path ?? '').startsWith('/') ? undefined : invalid(path ?? '', 'must be an absolute path'))) path?: string;
}

class CsiSourceRules {
  @Required() driver?: string;
}

class EphemeralSourceRules {
  @Required() volumeClaimTemplate?: Record<string, unknown>;
}

/** validateDownwardAPIVolumeFile; upstream reports every item at the downwardAPI path itself (no index). */
function downwardApiFileFindings(file: Record<string, unknown>): Finding[] {
  const found: Finding[] = [];
  const path = typeof file.path === 'string' ? file.path : '';
  if (!path) found.push(required('', '.path'));
  found.push(...localNonReservedPathFindings(path, '.path'));
  if (isObject(file.fieldRef)) {
    found.push(...objectFieldSelectorFindings(file.fieldRef, VOLUME_FIELD_PATHS, '.fieldRef'));
    if (isObject(file.resourceFieldRef)) found.push(invalid('resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  } else if (isObject(file.resourceFieldRef)) {
    found.push(...resourceFieldSelectorFindings(file.resourceFieldRef, true, '.resourceFieldRef'));
  } else {
    found.push(required('one of fieldRef and resourceFieldRef is required'));
  }
  const mode = fileModeFinding(file.mode, '.mode');
  if (mode) found.push(mode);
  return found;
}

class DownwardApiSourceRules {
  @Check((mode) => fileModeFinding(mode)) defaultMode?: number;
  @Check<unknown>((items) => (Array.isArray(items) ? items.flatMap((item) => (isObject(item) ? downwardApiFileFindings(item).map((f) => ({ ...f, as: '' })) : [])) : undefined))
  items?: Record<string, unknown>[];
}

const TEN_MINUTES = 10 * 60;
const MAX_TOKEN_SECONDS = 2 ** 32;

/** validateProjectionSources, for the secret, configMap, downwardAPI and serviceAccountToken projections. */
function projectionFindings(sources: unknown): Finding[] {
  if (!Array.isArray(sources)) return [];
  const found: Finding[] = [];
  const paths = new Set<string>();
  const claimPath = (p: unknown, owner: string) => {
    if (typeof p !== 'string' || !p) return;
    if (paths.has(p)) found.push({ ...invalid(owner, 'conflicting duplicate paths'), as: '' });
    paths.add(p);
  };
  sources.forEach((source: unknown, i) => {
    if (!isObject(source)) return;
    const at = `.sources[${i}]`;
    let count = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = source[kind];
      if (!isObject(ref)) continue;
      count++;
      if (!ref.name) found.push(required('', `${at}.${kind}.name`));
      (Array.isArray(ref.items) ? ref.items : []).forEach((item: unknown, j: number) => {
        const kp = isObject(item) ? item : {};
        found.push(...validateRules(KeyToPathRules, kp, `${at}.${kind}.items[${j}]`).map(asFinding));
        claimPath(kp.path, String(ref.name ?? ''));
      });
    }
    if (isObject(source.downwardAPI)) {
      count++;
      for (const item of Array.isArray(source.downwardAPI.items) ? source.downwardAPI.items : []) {
        if (!isObject(item)) continue;
        found.push(...downwardApiFileFindings(item).map((f) => ({ ...f, at: `${at}.downwardAPI${f.at ?? ''}` })));
        claimPath(item.path, '');
      }
    }
    const token = source.serviceAccountToken;
    if (isObject(token)) {
      count++;
      const seconds = token.expirationSeconds;
      if (typeof seconds === 'number' && seconds < TEN_MINUTES) {
        found.push(invalid(seconds, 'may not specify a duration less than 10 minutes', `${at}.serviceAccountToken.expirationSeconds`));
      } else if (typeof seconds === 'number' && seconds > MAX_TOKEN_SECONDS) {
        found.push(invalid(seconds, 'may not specify a duration larger than 2^32 seconds', `${at}.serviceAccountToken.expirationSeconds`));
      }
      if (!token.path) found.push(required('', `${at}.serviceAccountToken.path`));
      else found.push(...localNonReservedPathFindings(String(token.path), `${at}.serviceAccountToken.path`));
      claimPath(token.path, '');
    }
    if (isObject(source.clusterTrustBundle)) count++;
    if (isObject(source.podCertificate)) count++;
    if (count > 1) found.push({ type: 'FieldValueForbidden', detail: 'may not specify more than 1 volume type per source', at });
  });
  return found;
}

class ProjectedSourceRules {
  @Check((mode) => fileModeFinding(mode)) defaultMode?: number;
  @Check<unknown>((sources) => projectionFindings(sources).map((f) => ({ ...f, as: f.as ?? '' })))
  sources?: unknown[];
}

const SOURCE_RULES: Partial<Record<(typeof VOLUME_SOURCES)[number], new () => object>> = {
  emptyDir: EmptyDirSourceRules,
  hostPath: HostPathSourceRules,
  secret: SecretSourceRules,
  nfs: NfsSourceRules,
  persistentVolumeClaim: ClaimSourceRules,
  downwardAPI: DownwardApiSourceRules,
  configMap: ConfigMapSourceRules,
  projected: ProjectedSourceRules,
  csi: CsiSourceRules,
  ephemeral: EphemeralSourceRules,
};

/** validateVolumeSource: exactly one source, whose own rules then apply. */
function volumeSourceErrors(volume: Volume, path: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const kind of VOLUME_SOURCES) {
    const source = volume[kind];
    if (source === undefined || source === null) continue;
    if (count > 0) {
      errors.push(FieldError.forbidden(`${path}.${FORBIDDEN_CHILD[kind] ?? kind}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const rules = SOURCE_RULES[kind];
    if (rules) errors.push(...validateRules(rules, source, `${path}.${kind}`));
  }
  if (count === 0) errors.push(FieldError.required(path, 'must specify a volume type'));
  return errors;
}

class VolumeNameRules {
  @Required() @DnsLabel() name?: string;
}

/** ValidateVolumes: each volume's source, then its name, then whether the name repeats an earlier one. */
export function validateVolumes(volumes: unknown, path: string): FieldError[] {
  if (!Array.isArray(volumes)) return [];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  volumes.forEach((volume: unknown, i) => {
    const at = `${path}[${i}]`;
    const vol = (isObject(volume) ? volume : {}) as Volume;
    const el = [...volumeSourceErrors(vol, at), ...validateRules(VolumeNameRules, vol, at)];
    const name = typeof vol.name === 'string' ? vol.name : '';
    if (names.has(name)) el.push(FieldError.duplicate(`${at}.name`, name));
    if (el.length === 0) names.add(name);
    errors.push(...el);
  });
  return errors;
}

/** The name → source kind of each valid volume, for the containers' volumeMounts to refer to. */
export function volumeKinds(volumes: unknown): Map<string, string> {
  const kinds = new Map<string, string>();
  if (!Array.isArray(volumes)) return kinds;
  for (const volume of volumes) {
    if (!isObject(volume) || typeof volume.name !== 'string') continue;
    const kind = VOLUME_SOURCES.find((k) => volume[k] !== undefined && volume[k] !== null);
    if (kind) kinds.set(volume.name, kind);
  }
  return kinds;
}
