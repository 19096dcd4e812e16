/**
 * Field selectors as k8s.io/apimachinery/pkg/fields.ParseSelector reads them: comma-separated
 * `field=value`, `field==value` or `field!=value` terms, ANDed. Values may escape `\`, `,` and `=`
 * with a backslash; field names are taken literally up to the first operator (no trimming).
 */
import { StatusError } from '../errors/status-error';
import { goCompare } from './go-format';

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Renames a field label or rewrites its value; returning both empty drops the requirement. */
export type FieldTransform = (field: string, value: string) => { field: string; value: string };

class FieldSelectorSyntaxError extends Error {}

/** fields.EscapeValue: what String() prints, so that the output parses back to the same value. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

/** fields.UnescapeValue, with its error texts (an unescaped rune is printed as its number). */
export function unescapeFieldValue(text: string): string {
  if (!/[\\,=]/.test(text)) return text;
  let out = '';
  let inSlash = false;
  for (const ch of text) {
    if (inSlash) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw new FieldSelectorSyntaxError(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      out += ch;
      inSlash = false;
    } else if (ch === '\\') {
      inSlash = true;
    } else if (ch === ',' || ch === '=') {
      throw new FieldSelectorSyntaxError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    } else {
      out += ch;
    }
  }
  if (inSlash) throw new FieldSelectorSyntaxError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Splits on commas that are not escaped; the escapes stay in the terms for unescaping later. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inSlash) inSlash = false;
    else if (ch === '\\') inSlash = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

// `!=` and `==` are tried before `=` so a value never keeps a leading `=`.
const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { field: string; operator: (typeof TERM_OPERATORS)[number]; rest: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of TERM_OPERATORS) {
      if (term.startsWith(operator, i)) return { field: term.slice(0, i), operator, rest: term.slice(i + operator.length) };
    }
  }
  return undefined;
}

export class FieldSelector {
  private static readonly EVERYTHING = new FieldSelector([]);

  readonly requirements: readonly FieldRequirement[];

  private constructor(requirements: FieldRequirement[]) {
    this.requirements = Object.freeze(requirements.map((r) => Object.freeze({ ...r })));
  }

  /** fields.ParseSelector; an invalid selector throws the 400 BadRequest a real API server returns. */
  static parse(text: string): FieldSelector {
    // Upstream sorts the raw terms (escapes included) before parsing; String() keeps that order.
    const terms = splitTerms(text).sort(goCompare);
    const requirements: FieldRequirement[] = [];
    try {
      for (const term of terms) {
        if (term === '') continue;
        const parts = splitTerm(term);
        if (!parts) throw new FieldSelectorSyntaxError(`invalid selector: '${text}'; can't understand '${term}'`);
        const value = unescapeFieldValue(parts.rest);
        // A term with neither field nor value (`=`) selects everything and vanishes.
        if (parts.field === '' && value === '') continue;
        requirements.push({ field: parts.field, operator: parts.operator === '!=' ? '!=' : '=', value });
      }
    } catch (e) {
      if (e instanceof FieldSelectorSyntaxError) throw StatusError.badRequest(e.message);
      throw e;
    }
    return requirements.length ? new FieldSelector(requirements) : FieldSelector.EVERYTHING;
  }

  static everything(): FieldSelector {
    return FieldSelector.EVERYTHING;
  }

  /** One `field=value` term, as fields.OneTermEqualSelector. */
  static oneTermEqual(field: string, value: string): FieldSelector {
    return new FieldSelector([{ field, operator: '=', value }]);
  }

  isEmpty(): boolean {
    return this.requirements.length === 0;
  }

  /** A field the object does not have reads as the empty string, as fields.Set.Get does. */
  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const actual = Object.prototype.hasOwnProperty.call(fields, r.field) ? fields[r.field] : '';
      return r.operator === '=' ? actual === r.value : actual !== r.value;
    });
  }

  /** fields.Selector.RequiresExactMatch: the first `=` term on `field`. */
  exactValue(field: string): string | undefined {
    return this.requirements.find((r) => r.field === field && r.operator === '=')?.value;
  }

  /**
   * Selector.Transform, which the API server applies to convert field labels per kind; errors
   * thrown by `fn` propagate (the caller turns them into a 400 with the kind's message).
   */
  transform(fn: FieldTransform): FieldSelector {
    const next: FieldRequirement[] = [];
    for (const r of this.requirements) {
      const { field, value } = fn(r.field, r.value);
      if (field === '' && value === '') continue;
      next.push({ field, operator: r.operator, value });
    }
    return next.length ? new FieldSelector(next) : FieldSelector.EVERYTHING;
  }

  /** `==` prints as `=`, values are re-escaped, terms keep their parsed order. */
  toString(): string {
    return this.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  }
}
