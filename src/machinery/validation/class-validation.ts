/**
 * Semantic validation with class-validator, reported the Kubernetes way.
 *
 * A kind's rules are written as DTO classes whose properties carry the decorators below. Each
 * decorator wraps a check that returns Kubernetes findings (a field.ErrorType, a detail and
 * optionally a sub-path such as `[2].name` or `[key]`); class-validator walks the object tree and
 * this module turns its ValidationError tree into FieldErrors at Kubernetes field paths
 * (`spec.containers[0].image: Required value`).
 *
 *   class ContainerRules {
 *     @Required() @Format(dns1123LabelErrors) name?: string;
 *     @Required() image?: string;
 *     @Nested(() => ContainerPortRules) ports?: ContainerPortRules[];
 *   }
 *   validateRules(ContainerRules, container, 'spec.containers[0]');
 */
import 'reflect-metadata';
import { ValidateBy, ValidateNested, validateSync, type ValidationError } from 'class-validator';
import { FieldError, type FieldErrorType } from '../errors/status-error';
import { inclusiveRangeError, IS_NEGATIVE } from './common';
import {
  configMapKeyErrors,
  dns1035LabelErrors,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  labelValueErrors,
  qualifiedNameErrors,
} from './names';

/** One problem a check found, relative to the decorated property. */
export interface Finding {
  type: FieldErrorType;
  detail?: string;
  /** The bad value to print; defaults to the property's value. */
  value?: unknown;
  /** Appended to the property's path: `[3]`, `[3].name`, `[key]`, `.sub`. */
  at?: string;
  /**
   * Report under this name instead of the property's (upstream paths that use internal field names);
   * "" reports at the owner's own path.
   */
  as?: string;
}

/** A rule on one property. `owner` is the object holding the property (for cross-field rules). */
export type CheckFn<V = unknown, O = Record<string, unknown>> = (value: V, owner: O) => Finding | Finding[] | undefined | void;

export interface CheckOptions {
  /** Report after the findings inside the property's nested objects (e.g. duplicates after per-item errors). */
  afterNested?: boolean;
}

interface RegisteredCheck {
  fn: CheckFn<never, never>;
  afterNested: boolean;
}

const CHECK_PREFIX = 'k8s:';
const checks = new Map<string, RegisteredCheck>();
let sequence = 0;

/**
 * Findings of the current run, by owner object and constraint name, so a check runs once even though
 * class-validator only wants a boolean from it.
 */
let findingsByOwner = new WeakMap<object, Map<string, Finding[]>>();

function toList(result: Finding | Finding[] | undefined | void): Finding[] {
  if (!result) return [];
  return Array.isArray(result) ? result : [result];
}

/**
 * The base decorator: runs `fn` and reports its findings. Constraint names carry a sequence number
 * taken when the decorator factory is called, so several decorators on one property report in source
 * order although TypeScript applies them bottom-up.
 */
export function Check<V = unknown, O = Record<string, unknown>>(fn: CheckFn<V, O>, options: CheckOptions = {}): PropertyDecorator {
  const name = `${CHECK_PREFIX}${String(++sequence).padStart(8, '0')}`;
  checks.set(name, { fn: fn as CheckFn<never, never>, afterNested: options.afterNested ?? false });
  const decorate = ValidateBy({
    name,
    validator: {
      validate(value: unknown, args): boolean {
        const owner = (args?.object ?? {}) as object;
        const found = toList(fn(value as V, owner as O));
        if (found.length === 0) return true;
        let byName = findingsByOwner.get(owner);
        if (!byName) findingsByOwner.set(owner, (byName = new Map()));
        byName.set(name, found);
        return false;
      },
    },
  });
  return (target: object, property: string | symbol) => {
    registerProperty(target, property);
    decorate(target, property);
  };
}

// ---- findings --------------------------------------------------------------------------------

export const required = (detail = '', at?: string): Finding => ({ type: 'FieldValueRequired', detail, at });
export const invalid = (value: unknown, detail: string, at?: string): Finding => ({ type: 'FieldValueInvalid', value, detail, at });
export const forbidden = (detail: string, at?: string): Finding => ({ type: 'FieldValueForbidden', detail, at });
export const duplicate = (value: unknown, at?: string): Finding => ({ type: 'FieldValueDuplicate', value, at });
export const notFound = (value: unknown, at?: string): Finding => ({ type: 'FieldValueNotFound', value, at });
export function notSupported(value: unknown, supported: readonly string[], at?: string): Finding {
  const detail = supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined;
  return { type: 'FieldValueNotSupported', value, detail, at };
}

/** Go's len(x) == 0 for the values a JSON document can hold. */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** A FieldError built with a relative path (".limits[cpu]", "[0].name") as a finding at that path. */
export function asFinding(error: FieldError): Finding {
  return { type: error.type, value: error.value, detail: error.detail, at: error.field };
}

/**
 * Declaration order of rule properties across a class hierarchy. Decorators of a base class run
 * before those of a subclass and properties are decorated top to bottom, so the first time a property
 * is seen gives an order in which inherited rules come first (class-validator itself reports a
 * subclass's own properties before the inherited ones).
 */
const propertyOrder = new WeakMap<object, Map<string, number>>();
let propertySequence = 0;

function registerProperty(prototype: object, property: string | symbol): void {
  let order = propertyOrder.get(prototype);
  if (!order) propertyOrder.set(prototype, (order = new Map()));
  if (!order.has(String(property))) order.set(String(property), ++propertySequence);
}

function orderOf(instance: object | undefined, property: string): number {
  for (let proto = instance ? Object.getPrototypeOf(instance) : null; proto; proto = Object.getPrototypeOf(proto)) {
    const index = propertyOrder.get(proto)?.get(property);
    if (index !== undefined) return index;
  }
  return Number.MAX_SAFE_INTEGER;
}

/** The context object of the innermost validateRules call, for rules that need more than their owner. */
let contexts: unknown[] = [];

export function ruleContext<C>(): C | undefined {
  return contexts[contexts.length - 1] as C | undefined;
}

// ---- decorators ------------------------------------------------------------------------------

/** field.Required when the value is missing, "" or an empty list (0 too with `zero: true`). */
export function Required(detail = '', options: { zero?: boolean } = {}): PropertyDecorator {
  return Check((value) => (isBlank(value) || (options.zero && value === 0) ? required(detail) : undefined));
}

/** A closed set of values: NotSupported with "supported values: ..."; Required when blank if `required`. */
export function OneOf(values: readonly string[], options: { required?: boolean } = {}): PropertyDecorator {
  return Check((value) => {
    if (isBlank(value)) return options.required ? required() : undefined;
    return values.includes(String(value)) ? undefined : notSupported(value, values);
  });
}

/** Invalid once per message of a format check (names.ts style); blank values are left to Required. */
export function Format(messages: (value: string) => string[]): PropertyDecorator {
  return Check((value) => (isBlank(value) || typeof value !== 'string' ? undefined : messages(value).map((m) => invalid(value, m))));
}

export const DnsLabel = (): PropertyDecorator => Format(dns1123LabelErrors);
export const DnsSubdomain = (): PropertyDecorator => Format(dns1123SubdomainErrors);
export const Dns1035Label = (): PropertyDecorator => Format(dns1035LabelErrors);
export const QualifiedName = (): PropertyDecorator => Format(qualifiedNameErrors);
export const ConfigMapKey = (): PropertyDecorator => Format(configMapKeyErrors);

/**
 * An integer in [lo, hi]: Invalid "must be between lo and hi, inclusive". With `zeroIsUnset`, 0 is
 * left to a Required check (Go's `if x == 0 { Required } else { range }`).
 */
export function InRange(lo: number, hi: number, options: { zeroIsUnset?: boolean } = {}): PropertyDecorator {
  return Check((value) => {
    if (typeof value !== 'number' || (options.zeroIsUnset && value === 0)) return undefined;
    return value < lo || value > hi || !Number.isInteger(value) ? invalid(value, inclusiveRangeError(lo, hi)) : undefined;
  });
}

/** ValidateNonnegativeField. */
export function NonNegative(): PropertyDecorator {
  return Check((value) => (typeof value === 'number' && value < 0 ? invalid(value, IS_NEGATIVE) : undefined));
}

/** A rules class: properties carrying the decorators of this module. */
export type RulesClass<T extends object = object> = new () => T;

/** Rules classes of nested properties, by prototype and property. */
const nestedRules = new WeakMap<object, Map<string, () => RulesClass>>();

/** Validates an object or each object of a list with another rules class. */
export function Nested<T extends object>(rules: () => RulesClass<T>): PropertyDecorator {
  const validate = ValidateNested();
  return (target: object, property: string | symbol) => {
    registerProperty(target, property);
    let byProperty = nestedRules.get(target);
    if (!byProperty) nestedRules.set(target, (byProperty = new Map()));
    byProperty.set(String(property), rules);
    validate(target, property);
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The decoded JSON as instances of the rules classes, so class-validator finds their decorators. Only
 * the objects under @Nested properties need a class; everything else is shared with the input (checks
 * never modify what they look at). Measured at a fraction of class-transformer's plainToInstance,
 * which copies and reflects over every value.
 */
function instantiate<T extends object>(rules: RulesClass<T>, plain: Record<string, unknown>): T {
  const instance = Object.assign(Object.create(rules.prototype) as T, plain);
  for (let proto: object | null = rules.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const [property, factory] of nestedRules.get(proto) ?? []) {
      const value = plain[property];
      const nested = factory();
      if (Array.isArray(value)) (instance as Record<string, unknown>)[property] = value.map((item) => (isPlainObject(item) ? instantiate(nested, item) : item));
      else if (isPlainObject(value)) (instance as Record<string, unknown>)[property] = instantiate(nested, value);
    }
  }
  return instance;
}

/** Duplicate at `[i].<key>` for list items whose key repeats an earlier item's (blank keys skipped). */
export function UniqueBy(key: string): PropertyDecorator {
  return Check(
    (value) => {
      if (!Array.isArray(value)) return undefined;
      const seen = new Set<unknown>();
      const found: Finding[] = [];
      value.forEach((item: unknown, i) => {
        const k = typeof item === 'object' && item !== null ? (item as Record<string, unknown>)[key] : undefined;
        if (isBlank(k)) return;
        if (seen.has(k)) found.push(duplicate(k, `[${i}].${key}`));
        seen.add(k);
      });
      return found;
    },
    { afterNested: true },
  );
}

/** Runs a check on each item of a list of scalars, reporting at `[i]`. */
export function Each<V>(fn: (item: V, index: number) => Finding | Finding[] | undefined): PropertyDecorator {
  return Check((value) =>
    Array.isArray(value) ? value.flatMap((item: V, i) => toList(fn(item, i)).map((f) => ({ ...f, at: `[${i}]${f.at ?? ''}` }))) : undefined,
  );
}

/** Runs a check on each entry of a string map, reporting at `[key]` unless the finding says otherwise. */
export function EachEntry<V>(fn: (key: string, value: V) => Finding | Finding[] | undefined): PropertyDecorator {
  return Check((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    return Object.entries(value as Record<string, V>).flatMap(([k, v]) => toList(fn(k, v)).map((f) => ({ ...f, at: f.at ?? `[${k}]` })));
  });
}

/** Label-style maps (nodeSelector, selectors): key must be a qualified name, value a label value; path unkeyed. */
export function LabelMap(): PropertyDecorator {
  return EachEntry<string>((key, value) => [
    ...qualifiedNameErrors(key).map((m) => invalid(key, m, '')),
    ...labelValueErrors(String(value ?? '')).map((m) => invalid(value, m, '')),
  ]);
}

// ---- running ---------------------------------------------------------------------------------

function childPath(parent: string, property: string, parentIsList: boolean): string {
  if (parentIsList) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

function toFieldError(finding: Finding, parent: string, path: string, propertyValue: unknown): FieldError {
  const value = 'value' in finding ? finding.value : propertyValue;
  const base = finding.as === undefined ? path : finding.as === '' ? parent : childPath(parent, finding.as, false);
  return new FieldError(finding.type, base + (finding.at ?? ''), value, finding.detail || undefined);
}

function collect(errors: ValidationError[], parent: string, parentIsList: boolean, out: FieldError[]): void {
  const ordered = parentIsList ? errors : [...errors].sort((a, b) => orderOf(a.target, a.property) - orderOf(b.target, b.property));
  for (const error of ordered) {
    const path = childPath(parent, error.property, parentIsList);
    const early: FieldError[] = [];
    const late: FieldError[] = [];
    for (const name of Object.keys(error.constraints ?? {}).sort()) {
      const check = checks.get(name);
      if (!check) {
        // A class-validator constraint of its own (say a nested value that is not an object).
        early.push(FieldError.invalid(path, error.value, error.constraints?.[name]));
        continue;
      }
      const found = (error.target && findingsByOwner.get(error.target)?.get(name)) || [];
      (check.afterNested ? late : early).push(...found.map((f) => toFieldError(f, parentIsList ? '' : parent, path, error.value)));
    }
    out.push(...early);
    if (error.children?.length) collect(error.children, path, Array.isArray(error.value), out);
    out.push(...late);
  }
}

/**
 * Validates a plain (decoded JSON) value against a rules class and returns FieldErrors whose paths
 * start at `basePath` ("" for the object root, "spec" for a spec, "spec.containers[0]" ...). Checks
 * can read `context` with ruleContext() (e.g. the pod's volumes while checking a container's mounts).
 */
export function validateRules<T extends object>(rules: RulesClass<T>, plain: unknown, basePath = '', context?: unknown): FieldError[] {
  if (!isPlainObject(plain)) return [];
  const instance = instantiate(rules, plain);
  // A check may itself validate a sub-tree; keep the outer run's findings intact.
  const outer = findingsByOwner;
  findingsByOwner = new WeakMap();
  contexts = [...contexts, context];
  try {
    const errors = validateSync(instance, { forbidUnknownValues: false, validationError: { target: true, value: true } });
    const out: FieldError[] = [];
    collect(errors, basePath, false, out);
    return out;
  } finally {
    findingsByOwner = outer;
    contexts = contexts.slice(0, -1);
  }
}
