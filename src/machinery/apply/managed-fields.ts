/**
 * metadata.managedFields on the wire and the in-memory form the merge works with, after
 * k8s.io/apimachinery/pkg/util/managedfields/internal (managedfields.go): entries are keyed by a
 * manager identifier — the entry's JSON without time and fields, and without apiVersion for
 * appliers — so that one manager applying at several versions keeps a single Apply entry while its
 * updates at different versions (or subresources) stay apart.
 */
import { FieldSet, FieldsV1Error } from './fieldpath';
import { compareGoStrings, goJsonString, isRecord } from './go-json';

export type ManagedFieldsOperation = 'Apply' | 'Update';

export interface ManagedFieldsEntry {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  /** RFC 3339, second precision; absent when an entry was created without changing the object. */
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** fieldpath.VersionedSet. */
export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

/** ManagedInterface: sets and times keyed by manager identifier. */
export interface Managed {
  fields: Map<string, VersionedSet>;
  times: Map<string, string | undefined>;
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

export interface ManagerInfo {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  subresource?: string;
}

/**
 * BuildManagerIdentifier: json.Marshal of the entry with fields, fieldsType and time cleared (and
 * apiVersion too for Apply), keys in the Go struct's order, empty values omitted.
 */
export function buildManagerIdentifier(info: ManagerInfo): string {
  const parts: string[] = [];
  if (info.manager) parts.push(`"manager":${goJsonString(info.manager)}`);
  if (info.operation) parts.push(`"operation":${goJsonString(info.operation)}`);
  if (info.apiVersion && info.operation !== 'Apply') parts.push(`"apiVersion":${goJsonString(info.apiVersion)}`);
  if (info.subresource) parts.push(`"subresource":${goJsonString(info.subresource)}`);
  return `{${parts.join(',')}}`;
}

/** Reads an identifier back; undefined for identifiers that are not JSON (internal placeholders). */
export function parseManagerIdentifier(identifier: string): ManagerInfo | undefined {
  try {
    const parsed: unknown = JSON.parse(identifier);
    if (!isRecord(parsed)) return undefined;
    const text = (key: string): string | undefined => (typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined);
    return { manager: text('manager'), operation: text('operation'), apiVersion: text('apiVersion'), subresource: text('subresource') };
  } catch {
    return undefined;
  }
}

export class ManagedFieldsDecodeError extends Error {}

/** DecodeManagedFields: validates and indexes the entries of an object's metadata.managedFields. */
export function decodeManagedFields(entries: unknown): Managed {
  const managed = emptyManaged();
  if (entries === undefined || entries === null) return managed;
  if (!Array.isArray(entries)) throw new ManagedFieldsDecodeError('managedFields must be a list');
  entries.forEach((raw, i) => {
    const entry = isRecord(raw) ? raw : {};
    const operation = entry.operation;
    if (operation !== 'Apply' && operation !== 'Update') throw new ManagedFieldsDecodeError('operation must be `Apply` or `Update`');
    const apiVersion = typeof entry.apiVersion === 'string' ? entry.apiVersion : '';
    if (apiVersion.length < 1) throw new ManagedFieldsDecodeError('apiVersion must not be empty');
    const fieldsType = typeof entry.fieldsType === 'string' ? entry.fieldsType : '';
    if (fieldsType === '') throw new ManagedFieldsDecodeError(`missing fieldsType in managed fields entry ${i}`);
    if (fieldsType !== 'FieldsV1') throw new ManagedFieldsDecodeError(`invalid fieldsType "${fieldsType}" in managed fields entry ${i}`);
    const identifier = buildManagerIdentifier({
      manager: typeof entry.manager === 'string' ? entry.manager : undefined,
      operation,
      apiVersion,
      subresource: typeof entry.subresource === 'string' ? entry.subresource : undefined,
    });
    let set: FieldSet;
    try {
      set = entry.fieldsV1 === undefined || entry.fieldsV1 === null ? new FieldSet() : FieldSet.fromFieldsV1(entry.fieldsV1);
    } catch (err) {
      if (err instanceof FieldsV1Error) throw new ManagedFieldsDecodeError(`error decoding versioned set: error decoding set: ${err.message}`);
      throw err;
    }
    managed.fields.set(identifier, { set, apiVersion, applied: operation === 'Apply' });
    managed.times.set(identifier, typeof entry.time === 'string' ? entry.time : undefined);
  });
  return managed;
}

function seconds(time: string | undefined): number {
  if (!time) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

/** encodeManagedFields: entries sorted by operation, time (seconds), manager, apiVersion, subresource. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const [identifier, versioned] of managed.fields) {
    const info = parseManagerIdentifier(identifier) ?? {};
    const entry: ManagedFieldsEntry = {
      manager: info.manager ?? '',
      operation: versioned.applied ? 'Apply' : info.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: versioned.apiVersion,
      fieldsType: 'FieldsV1',
      fieldsV1: versioned.set.toFieldsV1(),
    };
    const time = managed.times.get(identifier);
    if (time !== undefined) {
      // Key order as the Go struct marshals it: manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource.
      const { manager, operation, apiVersion, fieldsType, fieldsV1 } = entry;
      entries.push({ manager, operation, apiVersion, time, fieldsType, fieldsV1, ...(info.subresource ? { subresource: info.subresource } : {}) });
      continue;
    }
    if (info.subresource) entry.subresource = info.subresource;
    entries.push(entry);
  }
  return entries.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const ps = seconds(p.time);
    const qs = seconds(q.time);
    if (ps !== qs) return ps < qs ? -1 : 1;
    if (p.manager !== q.manager) return compareGoStrings(p.manager, q.manager);
    if (p.apiVersion !== q.apiVersion) return compareGoStrings(p.apiVersion, q.apiVersion);
    return compareGoStrings(p.subresource ?? '', q.subresource ?? '');
  });
}

/**
 * isResetManagedFields: a client clears managedFields by sending an empty list, or a list holding
 * one empty entry.
 */
export function isResetManagedFields(entries: unknown): boolean {
  if (!Array.isArray(entries)) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isRecord(entries[0]) && Object.values(entries[0]).every((v) => v === undefined || v === null || v === '');
}

/** metav1.Time's wire form: RFC 3339 in UTC with whole seconds. */
const WHOLE_SECOND_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

export function formatTime(now: string | Date): string {
  if (typeof now === 'string' && WHOLE_SECOND_UTC.test(now)) return now;
  const date = typeof now === 'string' ? new Date(now) : now;
  if (Number.isNaN(date.getTime())) return typeof now === 'string' ? now : new Date(0).toISOString().replace(/\.\d+Z$/, 'Z');
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
