/**
 * How apply failures reach clients. Conflicts follow k8s.io/apimachinery's managedfields
 * NewConflictError: 409, reason Conflict, one FieldManagerConflict cause per field, and a message
 * whose wording kubectl users know by heart (and scripts grep for).
 */
import { StatusError, type StatusCause } from '../errors/status-error';
import { goQuote } from './go-json';
import { pathString } from './fieldpath';
import { parseManagerIdentifier } from './managed-fields';
import type { Conflict } from './updater';

export interface ApplyConflict {
  /** The manager's name ("kubectl-client-side-apply"). */
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  subresource?: string;
  /** The field as Path.String prints it: ".data.key", ".spec.containers[name=\"nginx\"].image". */
  field: string;
  /** How the message names the manager: `"mgr"`, `"mgr" using v1`, `"mgr" with subresource "status" using v1`. */
  display: string;
}

/** printManager: the manager as conflict messages name it; Update managers carry their version. */
export function printManager(identifier: string): string {
  const info = parseManagerIdentifier(identifier);
  if (!info) return goQuote(identifier);
  let text = goQuote(info.manager ?? '');
  if (info.subresource) text = `${text} with subresource ${goQuote(info.subresource)}`;
  // Identifiers never carry a time, so the "at <time>" variant of the Go code cannot occur.
  if (info.operation === 'Update') return `${text} using ${info.apiVersion ?? ''}`;
  return text;
}

/** getConflictMessage. */
export function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${pathString(conflicts[0].path)}`;
  const byManager = new Map<string, string[]>();
  for (const conflict of conflicts) {
    const paths = byManager.get(conflict.manager) ?? [];
    paths.push(pathString(conflict.path));
    byManager.set(conflict.manager, paths);
  }
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const path of byManager.get(manager) as string[]) lines.push(`- ${path}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}

/**
 * An apply refused because other managers own fields it would change. It is a StatusError (409
 * Conflict) so transports can answer with it directly; `conflicts` lists the fields for callers
 * that want to inspect them.
 */
export class ApplyConflictError extends StatusError {
  readonly conflicts: ApplyConflict[];

  constructor(raw: readonly Conflict[]) {
    const causes: StatusCause[] = raw.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
    super(409, 'Conflict', conflictMessage(raw), { causes });
    this.name = 'ApplyConflictError';
    this.conflicts = raw.map((c) => {
      const info = parseManagerIdentifier(c.manager) ?? {};
      return {
        manager: info.manager ?? c.manager,
        operation: info.operation === 'Update' ? 'Update' : 'Apply',
        ...(info.apiVersion ? { apiVersion: info.apiVersion } : {}),
        ...(info.subresource ? { subresource: info.subresource } : {}),
        field: pathString(c.path),
        display: printManager(c.manager),
      };
    });
  }
}

/** The plain StatusError a transport writes for a conflict (errors.NewApplyConflict). */
export function applyConflictToStatusError(err: ApplyConflictError): StatusError {
  return new StatusError(err.code, err.reason, err.message, err.details);
}

/**
 * Failures the apiserver reports without a Status of their own (plain Go errors), which reach the
 * client as 500 with an empty reason: an applied configuration that does not fit the schema, or
 * undecodable managedFields on the stored object.
 */
export function internalApplyError(message: string): StatusError {
  return new StatusError(500, '', message);
}
