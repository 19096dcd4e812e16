/** Node rules of pkg/apis/core/validation (ValidateNode, ValidateNodeUpdate). */
import { FieldError } from '../../../machinery/errors/status-error';
import { Check, duplicate, invalid, isBlank, notSupported, required, type Finding } from '../../../machinery/validation/class-validation';
import { cidrErrors, parseCidr, semanticEqual } from '../../../machinery/validation/common';
import { labelValueErrors, qualifiedNameErrors } from '../../../machinery/validation/names';
import { quantityAt, resourceQuantityErrors } from '../../../machinery/validation/resources';
import type { Node, Taint } from './node.types';

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function taintFindings(taints: unknown): Finding[] {
  if (!Array.isArray(taints)) return [];
  const found: Finding[] = [];
  const seen = new Map<string, Set<string>>();
  (taints as Taint[]).forEach((taint, i) => {
    const key = taint.key ?? '';
    const value = taint.value ?? '';
    const effect = taint.effect ?? '';
    for (const m of qualifiedNameErrors(key)) found.push(invalid(key, m, `[${i}].key`));
    const valueErrors = labelValueErrors(value);
    if (valueErrors.length) found.push(invalid(value, valueErrors.join(';'), `[${i}].value`));
    if (!effect) found.push(required('', `[${i}].effect`));
    else if (!TAINT_EFFECTS.includes(effect)) found.push(notSupported(effect, TAINT_EFFECTS, `[${i}].effect`));
    const keys = seen.get(effect) ?? new Set<string>();
    if (keys.has(key)) {
      found.push({ ...duplicate(taint, `[${i}]`), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    keys.add(key);
    seen.set(effect, keys);
  });
  return found;
}

/**
 * Taints. Upstream builds their path from "metadata" ("metadata.taints[0].effect"), so these rules are
 * run against the spec with "metadata" as the base path to report exactly that.
 */
export class NodeTaintRules {
  @Check((taints) => taintFindings(taints))
  taints?: Taint[];
}

export class NodeSpecRules {
  @Check<unknown>((cidrs) => {
    if (!Array.isArray(cidrs) || cidrs.length === 0) return undefined;
    const list = cidrs.map(String);
    const found: Finding[] = list.flatMap((cidr, i) => cidrErrors('', cidr).map((e) => invalid(cidr, e.detail ?? '', `[${i}]`)));
    if (list.length > 1) {
      const families = list.map(parseCidr);
      if (list.length > 2 || families[0] === families[1] || families.includes(undefined)) {
        found.push(invalid(list, 'may specify no more than one CIDR for each IP family'));
      }
      list.forEach((cidr, i) => {
        if (list.indexOf(cidr) < i) found.push(duplicate(cidr, `[${i}]`));
      });
    }
    return found;
  })
  podCIDRs?: string[];
}

/** ValidateNodeResources; upstream joins the resource name with a dot ("status.capacity.cpu"). */
export function nodeResourceErrors(node: Node): FieldError[] {
  const errors: FieldError[] = [];
  for (const list of ['capacity', 'allocatable'] as const) {
    for (const [name, value] of Object.entries(node.status?.[list] ?? {})) {
      const path = `status.${list}.${name}`;
      const q = quantityAt(value, path);
      if (q instanceof FieldError) errors.push(q);
      else errors.push(...resourceQuantityErrors(name, q, path));
    }
  }
  return errors;
}

const SPEC_IMMUTABLE_CIDR = 'node updates may not change podCIDR except from "" to valid';
const SPEC_IMMUTABLE_PROVIDER = 'node updates may not change providerID except from "" to valid';

/** The parts of ValidateNodeUpdate that compare with the stored node. */
export function nodeUpdateErrors(node: Node, old: Node): FieldError[] {
  const errors: FieldError[] = [];
  const seen: unknown[] = [];
  (node.status?.addresses ?? []).forEach((address, i) => {
    if (seen.some((s) => semanticEqual(s, address))) errors.push(FieldError.duplicate(`status.addresses[${i}]`, address));
    seen.push(address);
  });
  const oldCidrs = old.spec?.podCIDRs ?? [];
  const newCidrs = node.spec?.podCIDRs ?? [];
  if (oldCidrs.length > 0) {
    if (oldCidrs.length !== newCidrs.length) errors.push(FieldError.forbidden('spec.podCIDRs', SPEC_IMMUTABLE_CIDR));
    else oldCidrs.forEach((cidr, i) => cidr !== newCidrs[i] && errors.push(FieldError.forbidden('spec.podCIDRs', SPEC_IMMUTABLE_CIDR)));
  }
  if (!isBlank(old.spec?.providerID) && old.spec?.providerID !== node.spec?.providerID) {
    errors.push(FieldError.forbidden('spec.providerID', SPEC_IMMUTABLE_PROVIDER));
  }
  return errors;
}

export function externalIdErrors(node: Node, old: Node): FieldError[] {
  return (node.spec?.externalID ?? '') === (old.spec?.externalID ?? '') ? [] : [FieldError.forbidden('spec.externalID', 'may not be updated')];
}
