/**
 * events.k8s.io/v1 create rules (ValidateEventCreate for the v1 API): new-style events must say
 * when, by whom and why they were reported.
 */
import { Check, invalid, OneOf, QualifiedName, required, type Finding } from '../../../machinery/validation/class-validation';
import { byteLength } from '../../../machinery/validation/common';
import type { EventV1 } from './event.conversion';

const REPORTING_INSTANCE_LIMIT = 128;
const ACTION_LIMIT = 128;
const REASON_LIMIT = 128;
const NOTE_LIMIT = 1024;

function present(limit: number) {
  return (value: string | undefined): Finding | undefined => {
    if (!value) return required();
    return byteLength(value) > limit ? invalid('', `can have at most ${limit} characters`) : undefined;
  };
}

export class EventV1CreateRules {
  @Check<string | null | undefined>((time) => (time ? undefined : required()))
  eventTime?: string | null;

  @Check<EventV1['series']>((series) => {
    if (!series) return undefined;
    const findings: Finding[] = [];
    if ((series.count ?? 0) < 2) findings.push({ ...invalid(series.count ?? 0, 'should be at least 2'), at: '.count' });
    if (!series.lastObservedTime) findings.push({ ...required(), at: '.lastObservedTime' });
    return findings;
  })
  series?: EventV1['series'];

  @Check<string | undefined>((value) => (value ? undefined : required()))
  @QualifiedName()
  reportingController?: string;

  @Check<string | undefined>(present(REPORTING_INSTANCE_LIMIT))
  reportingInstance?: string;

  @Check<string | undefined>(present(ACTION_LIMIT))
  action?: string;

  @Check<string | undefined>(present(REASON_LIMIT))
  reason?: string;

  @OneOf(['Normal', 'Warning'], { required: true })
  type?: string;

  @Check<string | undefined>((note) => (note && byteLength(note) > NOTE_LIMIT ? invalid('', `can have at most ${NOTE_LIMIT} characters`) : undefined))
  note?: string;
}
