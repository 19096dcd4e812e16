/** Lease rules of pkg/apis/coordination/validation (ValidateLeaseSpec). */
import { Check, forbidden, invalid, notSupported } from '../../../machinery/validation/class-validation';
import { qualifiedNameErrors } from '../../../machinery/validation/names';
import type { LeaseSpec } from './lease.resource';

const LEASE_STRATEGIES = ['OldestEmulationVersion'];

export class LeaseSpecRules {
  @Check<number | undefined>((value) => (typeof value === 'number' && value <= 0 ? invalid(value, 'must be greater than 0') : undefined))
  leaseDurationSeconds?: number;

  @Check<number | undefined>((value) => (typeof value === 'number' && value < 0 ? invalid(value, 'must be greater than or equal to 0') : undefined))
  leaseTransitions?: number;

  // ValidateCoordinatedLeaseStrategy reports under spec.strategy.strategy: it appends the child name to a
  // path that already ends in it.
  @Check<string | undefined>((strategy) => {
    if (strategy === undefined || strategy === null) return undefined;
    if (!strategy.includes('/')) return LEASE_STRATEGIES.includes(strategy) ? undefined : notSupported(strategy, LEASE_STRATEGIES, '.strategy');
    return qualifiedNameErrors(strategy).map((m) => invalid(strategy, m, '.strategy'));
  })
  strategy?: string;

  @Check<string | undefined, LeaseSpec>((holder, spec) => (holder && !spec.strategy ? forbidden('may only be specified if `strategy` is defined') : undefined))
  preferredHolder?: string;
}
