/**
 * Label selectors as k8s.io/apimachinery/pkg/labels parses, prints and matches them, including
 * the exact error texts a real API server returns (400 BadRequest) for a bad `labelSelector`.
 *
 * The lexer and parser deliberately keep the shape of the upstream recursive-descent parser:
 * its quirks (values sorted and de-duplicated, `in`/`notin` allowed as values, `x in ()` meaning
 * "the empty value", NUL ending the input) are part of the observable behaviour.
 */
import { FieldError, StatusError } from '../errors/status-error';
import { labelValueErrors, qualifiedNameErrors } from '../validation/names';
import { aggregateMessage, goCompare, goQuote, goStringSlice, parseGoInt64, sortedUnique } from './go-format';

export type SelectorOperator = 'in' | 'notin' | 'exists' | '!' | '=' | '==' | '!=' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** The metav1.LabelSelector shape as it arrives in objects. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

// The order upstream lists operators in "expected: ..." messages.
const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'] as const;

// ---------------------------------------------------------------------------------------------
// Lexer

type Token =
  | 'Error'
  | 'EndOfString'
  | 'ClosedPar'
  | 'Comma'
  | 'DoesNotExist'
  | 'DoubleEquals'
  | 'Equals'
  | 'GreaterThan'
  | 'Identifier'
  | 'In'
  | 'LessThan'
  | 'NotEquals'
  | 'NotIn'
  | 'OpenPar';

const LITERAL_TOKENS: ReadonlyMap<string, Token> = new Map<string, Token>([
  [')', 'ClosedPar'],
  [',', 'Comma'],
  ['!', 'DoesNotExist'],
  ['==', 'DoubleEquals'],
  ['=', 'Equals'],
  ['>', 'GreaterThan'],
  ['in', 'In'],
  ['<', 'LessThan'],
  ['!=', 'NotEquals'],
  ['notin', 'NotIn'],
  ['(', 'OpenPar'],
]);

interface ScannedItem {
  token: Token;
  literal: string;
}

/** Only these four count as blanks; other Unicode spaces become part of identifiers. */
function isWhitespace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
}

function isSpecialSymbol(ch: string): boolean {
  return ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
}

/** Exported for tests: tokenises like labels.Lexer. */
export class SelectorLexer {
  private pos = 0;
  constructor(private readonly text: string) {}

  // Upstream reads a zero byte at the end of input, so an embedded NUL also ends a token.
  private read(): string {
    if (this.pos < this.text.length) return this.text[this.pos++];
    return '\0';
  }

  private unread(): void {
    this.pos--;
  }

  private scanIdOrKeyword(): ScannedItem {
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
    }
    const keyword = LITERAL_TOKENS.get(buffer);
    return { token: keyword ?? 'Identifier', literal: buffer };
  }

  /** Longest run of special characters that is still a known operator. */
  private scanSpecialSymbol(): ScannedItem {
    let last: ScannedItem | undefined;
    let buffer = '';
    for (;;) {
      const ch = this.read();
      if (ch === '\0') break;
      if (!isSpecialSymbol(ch)) {
        this.unread();
        break;
      }
      buffer += ch;
      const token = LITERAL_TOKENS.get(buffer);
      if (token) {
        last = { token, literal: buffer };
      } else if (last) {
        this.unread();
        break;
      }
    }
    return last ?? { token: 'Error', literal: `error expected: keyword found '${buffer}'` };
  }

  lex(): ScannedItem {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === '\0') return { token: 'EndOfString', literal: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword();
  }
}

// ---------------------------------------------------------------------------------------------
// Requirements and their validation (labels.NewRequirement)

/** A parse failure; its message is the text the API server puts in the Status. */
class SelectorSyntaxError extends Error {}

function invalidText(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${goQuote(value)}: ${detail}`;
}

function invalidListText(path: string, values: readonly string[] | null, detail: string): string {
  return `${path}: Invalid value: ${goStringSlice(values)}: ${detail}`;
}

function keyError(key: string, path: string): string | undefined {
  const errors = qualifiedNameErrors(key);
  return errors.length ? invalidText(path, key, errors.join('; ')) : undefined;
}

/**
 * labels.NewRequirement's checks, returning field error texts. `values` is null when the caller
 * had no slice at all, which only changes how an empty list is printed (`[]string(nil)`).
 */
function requirementErrors(key: string, operator: SelectorOperator, values: readonly string[] | null): string[] {
  const errors: string[] = [];
  const list = values ?? [];
  const keyProblem = keyError(key, 'key');
  if (keyProblem) errors.push(keyProblem);
  switch (operator) {
    case 'in':
    case 'notin':
      if (list.length === 0) errors.push(invalidListText('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (list.length !== 1) errors.push(invalidListText('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (list.length !== 0) errors.push(invalidListText('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (list.length !== 1) errors.push(invalidListText('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      list.forEach((value, i) => {
        if (parseGoInt64(value) === undefined) errors.push(invalidText(`values[${i}]`, value, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
  }
  list.forEach((value, i) => {
    const problems = labelValueErrors(value);
    if (problems.length) errors.push(invalidText(`values[${i}][${key}]`, value, problems.join('; ')));
  });
  return errors;
}

function freezeRequirement(key: string, operator: SelectorOperator, values: readonly string[]): LabelRequirement {
  return Object.freeze({ key, operator, values: Object.freeze([...values]) as string[] });
}

function hasOwn(labels: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const present = hasOwn(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return present && r.values.includes(labels[r.key]);
    case 'notin':
    case '!=':
      return !present || !r.values.includes(labels[r.key]);
    case 'exists':
      return present;
    case '!':
      return !present;
    case 'gt':
    case 'lt': {
      if (!present || r.values.length !== 1) return false;
      const actual = parseGoInt64(labels[r.key]);
      const bound = parseGoInt64(r.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

const OPERATOR_TEXT: Record<SelectorOperator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

function requirementString(r: LabelRequirement): string {
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  // Printing sorts values without touching the stored order, as upstream's safeSort does.
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort(goCompare).join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${OPERATOR_TEXT[r.operator]}${set ? `(${values})` : values}`;
}

/** Stable, like upstream's sort.Sort on the short lists selectors have in practice. */
function sortByKey(requirements: LabelRequirement[]): LabelRequirement[] {
  return requirements
    .map((r, i) => ({ r, i }))
    .sort((a, b) => goCompare(a.r.key, b.r.key) || a.i - b.i)
    .map(({ r }) => r);
}

// ---------------------------------------------------------------------------------------------
// Parser (labels.Parse)

type Context = 'KeyAndOperator' | 'Values';

class SelectorParser {
  private readonly items: ScannedItem[] = [];
  private position = 0;

  constructor(text: string) {
    const lexer = new SelectorLexer(text);
    for (;;) {
      const item = lexer.lex();
      this.items.push(item);
      if (item.token === 'EndOfString') break;
    }
  }

  // Inside value lists the keywords `in` and `notin` are ordinary identifiers.
  private lookahead(context: Context): ScannedItem {
    return this.contextual(this.items[this.position], context);
  }

  private consume(context: Context): ScannedItem {
    return this.contextual(this.items[this.position++], context);
  }

  private contextual(item: ScannedItem, context: Context): ScannedItem {
    if (context === 'Values' && (item.token === 'In' || item.token === 'NotIn')) return { token: 'Identifier', literal: item.literal };
    return item;
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const next = this.lookahead('Values');
      if (next.token === 'EndOfString') return requirements;
      if (next.token !== 'Identifier' && next.token !== 'DoesNotExist') {
        throw new SelectorSyntaxError(`found '${next.literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        if (e instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.consume('Values');
      if (after.token === 'EndOfString') return requirements;
      if (after.token !== 'Comma') throw new SelectorSyntaxError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.lookahead('Values');
      if (following.token !== 'Identifier' && following.token !== 'DoesNotExist') {
        throw new SelectorSyntaxError(`found '${following.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    let operator: SelectorOperator;
    let values: string[];
    if (inferred) {
      operator = inferred;
      values = [];
    } else {
      operator = this.parseOperator();
      values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    }
    const errors = requirementErrors(key, operator, values);
    if (errors.length) throw new SelectorSyntaxError(aggregateMessage(errors));
    return freezeRequirement(key, operator, values);
  }

  private parseKeyAndInferOperator(): { key: string; operator?: 'exists' | '!' } {
    let item = this.consume('Values');
    let operator: 'exists' | '!' | undefined;
    if (item.token === 'DoesNotExist') {
      operator = '!';
      item = this.consume('Values');
    }
    if (item.token !== 'Identifier') throw new SelectorSyntaxError(`found '${item.literal}', expected: identifier`);
    // Upstream validates the key here without a field path, hence the literal "<nil>".
    const problem = keyError(item.literal, '<nil>');
    if (problem) throw new SelectorSyntaxError(problem);
    const next = this.lookahead('Values').token;
    if ((next === 'EndOfString' || next === 'Comma') && operator !== '!') operator = 'exists';
    return { key: item.literal, operator };
  }

  private parseOperator(): SelectorOperator {
    const item = this.consume('KeyAndOperator');
    switch (item.token) {
      case 'In':
        return 'in';
      case 'Equals':
        return '=';
      case 'DoubleEquals':
        return '==';
      case 'GreaterThan':
        return 'gt';
      case 'LessThan':
        return 'lt';
      case 'NotIn':
        return 'notin';
      case 'NotEquals':
        return '!=';
      default:
        throw new SelectorSyntaxError(`found '${item.literal}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): string[] {
    const open = this.consume('Values');
    if (open.token !== 'OpenPar') throw new SelectorSyntaxError(`found '${open.literal}' expected: '('`);
    const first = this.lookahead('Values');
    switch (first.token) {
      case 'Identifier':
      case 'Comma': {
        const values = this.parseIdentifiersList();
        // Upstream reports the token seen before the list here, not the offending one.
        if (this.consume('Values').token !== 'ClosedPar') throw new SelectorSyntaxError(`found '${first.literal}', expected: ')'`);
        return values;
      }
      case 'ClosedPar':
        this.consume('Values');
        return [''];
      default:
        throw new SelectorSyntaxError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
  }

  /** Comma-separated values where an empty slot means the empty string. */
  private parseIdentifiersList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const item = this.consume('Values');
      if (item.token === 'Identifier') {
        values.add(item.literal);
        const next = this.lookahead('Values');
        if (next.token === 'Comma') continue;
        if (next.token === 'ClosedPar') return sortedUnique(values);
        throw new SelectorSyntaxError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (item.token !== 'Comma') throw new SelectorSyntaxError(`found '${item.literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.lookahead('Values').token;
      if (next === 'ClosedPar' || next === 'Comma') {
        values.add('');
        if (next === 'ClosedPar') return sortedUnique(values);
      }
    }
  }

  private parseExactValue(): string[] {
    const next = this.lookahead('Values').token;
    if (next === 'EndOfString' || next === 'Comma') return [''];
    const item = this.consume('Values');
    if (item.token === 'Identifier') return [item.literal];
    throw new SelectorSyntaxError(`found '${item.literal}', expected: identifier`);
  }
}

// ---------------------------------------------------------------------------------------------

const OBJECT_OPERATORS: Record<string, SelectorOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

export class LabelSelector {
  private static readonly EVERYTHING = new LabelSelector([], false);
  private static readonly NOTHING = new LabelSelector([], true);

  readonly requirements: readonly LabelRequirement[];

  private constructor(
    requirements: LabelRequirement[],
    /** labels.Nothing(): what a nil metav1.LabelSelector converts to. */
    private readonly selectsNothing: boolean,
  ) {
    this.requirements = Object.freeze(requirements);
  }

  /** labels.Parse; an invalid selector throws the 400 BadRequest a real API server returns. */
  static parse(text: string): LabelSelector {
    let requirements: LabelRequirement[];
    try {
      requirements = new SelectorParser(text).parse();
    } catch (e) {
      if (e instanceof SelectorSyntaxError) throw StatusError.badRequest(e.message);
      throw e;
    }
    return requirements.length ? new LabelSelector(sortByKey(requirements), false) : LabelSelector.EVERYTHING;
  }

  static everything(): LabelSelector {
    return LabelSelector.EVERYTHING;
  }

  /** Matches no object at all (and, unlike everything(), is not empty). */
  static nothing(): LabelSelector {
    return LabelSelector.NOTHING;
  }

  /**
   * metav1.LabelSelectorAsSelector. As upstream: a null/undefined selector selects nothing, an
   * empty one selects everything, and matchExpressions values keep their given order.
   */
  static fromObject(selector: LabelSelectorObject | null | undefined): LabelSelector {
    if (selector === null || selector === undefined) return LabelSelector.NOTHING;
    const matchLabels = selector.matchLabels ?? {};
    const expressions = selector.matchExpressions ?? [];
    if (Object.keys(matchLabels).length + expressions.length === 0) return LabelSelector.EVERYTHING;
    const requirements: LabelRequirement[] = [];
    const fail = (errors: string[]): never => {
      throw StatusError.badRequest(aggregateMessage(errors));
    };
    for (const [key, value] of Object.entries(matchLabels)) {
      const errors = requirementErrors(key, '=', [value]);
      if (errors.length) fail(errors);
      requirements.push(freezeRequirement(key, '=', [value]));
    }
    for (const expression of expressions) {
      const operator = Object.prototype.hasOwnProperty.call(OBJECT_OPERATORS, expression.operator) ? OBJECT_OPERATORS[expression.operator] : undefined;
      if (!operator) throw StatusError.badRequest(`${goQuote(String(expression.operator))} is not a valid label selector operator`);
      // Upstream copies the values into a fresh slice that stays nil when there are none.
      const values = expression.values && expression.values.length ? [...expression.values] : null;
      const errors = requirementErrors(expression.key, operator, values);
      if (errors.length) fail(errors);
      requirements.push(freezeRequirement(expression.key, operator, values ?? []));
    }
    return new LabelSelector(sortByKey(requirements), false);
  }

  isEmpty(): boolean {
    return !this.selectsNothing && this.requirements.length === 0;
  }

  matches(labels: Record<string, string> | undefined): boolean {
    if (this.selectsNothing) return false;
    const set = labels ?? {};
    return this.requirements.every((r) => requirementMatches(r, set));
  }

  /**
   * labels.Selector.RequiresExactMatch: only the first requirement on `key` is consulted, so
   * `a in (x,y),a=x` does not count as exact even though it is.
   */
  exactValue(key: string): string | undefined {
    const first = this.requirements.find((r) => r.key === key);
    if (!first) return undefined;
    if ((first.operator === '=' || first.operator === '==' || first.operator === 'in') && first.values.length === 1) return first.values[0];
    return undefined;
  }

  toString(): string {
    return this.requirements.map(requirementString).join(',');
  }
}

// ---------------------------------------------------------------------------------------------
// Object validation (k8s.io/apimachinery/pkg/apis/meta/v1/validation.ValidateLabelSelector)

export interface LabelSelectorValidationOptions {
  /** Tolerate invalid values already persisted in matchExpressions (update of old objects). */
  allowInvalidLabelValueInSelector?: boolean;
  /** Let unknown operators through, for callers that check more broadly (SubjectAccessReview). */
  allowUnknownOperatorInRequirement?: boolean;
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

/** ValidateLabels: label keys and values of an object or a matchLabels map, all at one path. */
export function labelsFieldErrors(labels: Record<string, string> | null | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    for (const message of qualifiedNameErrors(key)) errors.push(FieldError.invalid(path, key, message));
    for (const message of labelValueErrors(value)) errors.push(FieldError.invalid(path, value, message));
  }
  return errors;
}

/** ValidateLabelSelector: the 422 causes for a bad metav1.LabelSelector at `path`. */
export function labelSelectorFieldErrors(
  selector: LabelSelectorObject | null | undefined,
  path: string,
  options: LabelSelectorValidationOptions = {},
): FieldError[] {
  if (selector === null || selector === undefined) return [];
  const errors = labelsFieldErrors(selector.matchLabels, child(path, 'matchLabels'));
  (selector.matchExpressions ?? []).forEach((expression, i) => {
    const at = `${child(path, 'matchExpressions')}[${i}]`;
    const values = expression.values ?? [];
    switch (expression.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errors.push(FieldError.required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errors.push(FieldError.forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        if (!options.allowUnknownOperatorInRequirement) errors.push(FieldError.invalid(`${at}.operator`, expression.operator, 'not a valid selector operator'));
    }
    for (const message of qualifiedNameErrors(expression.key)) errors.push(FieldError.invalid(`${at}.key`, expression.key, message));
    if (!options.allowInvalidLabelValueInSelector) {
      values.forEach((value, j) => {
        for (const message of labelValueErrors(value)) errors.push(FieldError.invalid(`${at}.values[${j}]`, value, message));
      });
    }
  });
  return errors;
}
