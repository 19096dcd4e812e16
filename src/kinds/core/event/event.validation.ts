/**
 * core/v1 Event rules: legacyValidateEvent of pkg/apis/core/validation/events.go, the only check the
 * real server applies to Events written through the v1 API (the stricter events.k8s.io rules are not
 * applied to v1 writes, for compatibility).
 */
import { Check, invalid, required, type Finding } from '../../../machinery/validation/class-validation';
import { byteLength } from '../../../machinery/validation/common';
import { dns1123SubdomainErrors, qualifiedNameErrors } from '../../../machinery/validation/names';
import type { Event } from './event.resource';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

const MISMATCH = 'does not match event.namespace';
const tooLong = (limit: number): Finding => invalid('', `can have at most ${limit} characters`);

/** Events with an eventTime are "new" events and must say who reported them and why. */
const isNew = (event: Event): boolean => !!event.eventTime;

function limited(value: string | undefined, limit: number): Finding[] {
  if (!value) return [required()];
  return byteLength(value) > limit ? [tooLong(limit)] : [];
}

/** Rules on the Event object; the reporting fields are reported under their internal names. */
export class EventRules {
  @Check<Event['involvedObject'], Event>((ref, event) => {
    const refNamespace = ref?.namespace ?? '';
    const namespace = event.metadata?.namespace ?? '';
    let ok: boolean;
    if (!isNew(event)) ok = refNamespace ? namespace === refNamespace : namespace === '' || namespace === 'default';
    else ok = !!refNamespace || namespace === 'default' || namespace === 'kube-system';
    return ok ? undefined : invalid(refNamespace, MISMATCH, '.namespace');
  })
  involvedObject?: Event['involvedObject'];

  // Upstream names this field by its internal name, reportingController.
  @Check<string | undefined, Event>((controller, event) => {
    if (!isNew(event)) return undefined;
    const value = controller ?? '';
    return [...(value ? [] : [{ ...required(), as: 'reportingController' }]), ...qualifiedNameErrors(value).map((m) => ({ ...invalid(value, m), as: 'reportingController' }))];
  })
  reportingComponent?: string;

  @Check<string | undefined, Event>((instance, event) => (isNew(event) ? limited(instance, REPORTING_INSTANCE_LIMIT) : undefined))
  reportingInstance?: string;

  @Check<string | undefined, Event>((action, event) => (isNew(event) ? limited(action, ACTION_LIMIT) : undefined))
  action?: string;

  @Check<string | undefined, Event>((reason, event) => (isNew(event) ? limited(reason, REASON_LIMIT) : undefined))
  reason?: string;

  @Check<string | undefined, Event>((message, event) => (isNew(event) && message && byteLength(message) > NOTE_LIMIT ? tooLong(NOTE_LIMIT) : undefined))
  message?: string;

  metadata?: Event['metadata'];
  eventTime?: string | null;
}

/** legacyValidateEvent ends with the namespace checked as a DNS subdomain, reported at "namespace". */
export class EventNamespaceRules {
  @Check<string | undefined>((namespace) => dns1123SubdomainErrors(namespace ?? '').map((m) => invalid(namespace ?? '', m)))
  namespace?: string;
}
