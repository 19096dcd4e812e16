import { StatusError } from '../machinery/errors/status-error';
import { FieldSelector } from '../machinery/selectors/field-selector';
import { LabelSelector } from '../machinery/selectors/label-selector';

/** metav1.ListOptions as the generic store uses them (already parsed from the query). */
export interface ListOptions {
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  /** Watch only. */
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

export function defaultListOptions(): ListOptions {
  return { labelSelector: LabelSelector.everything(), fieldSelector: FieldSelector.everything() };
}

/** The cross-parameter rules of ValidateListOptions, with the real messages. */
export function checkListOptions(opts: ListOptions, watch: boolean): void {
  if (opts.resourceVersionMatch && opts.resourceVersionMatch !== 'NotOlderThan' && opts.resourceVersionMatch !== 'Exact') {
    throw StatusError.badRequest(`resourceVersionMatch: Unsupported value: "${opts.resourceVersionMatch}": supported values: "Exact", "NotOlderThan", ""`);
  }
  if (opts.resourceVersionMatch) {
    if (watch) throw invalidListOptions('resourceVersionMatch', 'Forbidden: resourceVersionMatch is forbidden for watch');
    if (!opts.resourceVersion) throw invalidListOptions('resourceVersionMatch', 'Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    if (opts.continueToken) throw invalidListOptions('resourceVersionMatch', 'Forbidden: resourceVersionMatch is forbidden when continue is provided');
    if (opts.resourceVersionMatch === 'Exact' && opts.resourceVersion === '0') {
      throw invalidListOptions('resourceVersionMatch', 'Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    }
  }
  if (opts.sendInitialEvents !== undefined) {
    if (!watch) throw invalidListOptions('sendInitialEvents', 'Forbidden: sendInitialEvents is forbidden for list');
  }
  if (opts.resourceVersion !== undefined && opts.resourceVersion !== '' && opts.resourceVersion !== '0' && !/^[0-9]+$/.test(opts.resourceVersion)) {
    throw StatusError.badRequest(`resourceVersion: Invalid value: "${opts.resourceVersion}": must be an integer`);
  }
}

function invalidListOptions(field: string, text: string): StatusError {
  return new StatusError(422, 'Invalid', `ListOptions.meta.k8s.io "" is invalid: ${field}: ${text}`, {
    group: 'meta.k8s.io',
    kind: 'ListOptions',
    causes: [{ reason: text.startsWith('Forbidden') ? 'FieldValueForbidden' : 'FieldValueInvalid', message: text, field }],
  });
}
