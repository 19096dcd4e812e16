import { FieldError } from '../errors/status-error';
import { Check, DnsLabel, Each, EachEntry, invalid, InRange, LabelMap, Nested, OneOf, Required, UniqueBy, validateRules } from './class-validation';

class PortRules {
  @Required('', { zero: true }) @InRange(1, 65535, { zeroIsUnset: true }) containerPort?: number;
  @OneOf(['TCP', 'UDP', 'SCTP'], { required: true }) protocol?: string;
}

class ItemRules {
  @Required() @DnsLabel() name?: string;
  @Nested(() => PortRules) ports?: PortRules[];
}

class RootRules {
  @Required() @Nested(() => ItemRules) @UniqueBy('name') items?: ItemRules[];
  @LabelMap() selector?: Record<string, string>;
  @Each<string>((s, i) => (s.startsWith('x') ? invalid(s, `bad ${i}`) : undefined)) tags?: string[];
  @EachEntry<string>((k, v) => (v === '' ? invalid(v, 'empty') : undefined)) data?: Record<string, string>;
  @Check<string, { mode?: string }>((value, owner) => (owner.mode === 'strict' && value === 'x' ? invalid(value, 'not in strict mode') : undefined)) flag?: string;
  mode?: string;
}

const text = (errors: FieldError[]) => errors.map((e) => e.toString());

describe('validateRules', () => {
  it('passes a valid object', () => {
    expect(validateRules(RootRules, { items: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }] }] })).toEqual([]);
  });

  it('maps nested errors to Kubernetes paths with the right error types', () => {
    const errors = validateRules(
      RootRules,
      { items: [{ name: 'Bad_Name', ports: [{ containerPort: 0, protocol: 'HTTP' }, { containerPort: 70000, protocol: 'UDP' }] }, { name: '' }] },
      'spec',
    );
    expect(text(errors)).toEqual([
      expect.stringMatching(/^spec\.items\[0\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label must consist of/),
      'spec.items[0].ports[0].containerPort: Required value',
      'spec.items[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP"',
      'spec.items[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.items[1].name: Required value',
    ]);
    expect(errors[1].type).toBe('FieldValueRequired');
    expect(errors[2].type).toBe('FieldValueNotSupported');
  });

  it('reports a list-level Required and duplicates after the items', () => {
    expect(text(validateRules(RootRules, { items: [] }))).toEqual(['items: Required value']);
    expect(text(validateRules(RootRules, { items: [{ name: 'a', ports: [{ protocol: 'TCP' }] }, { name: 'a' }] }))).toEqual([
      'items[0].ports[0].containerPort: Required value',
      'items[1].name: Duplicate value: "a"',
    ]);
  });

  it('reports map and list entries at their key or index, and sees the owner for cross-field rules', () => {
    const errors = validateRules(RootRules, {
      items: [{ name: 'a' }],
      selector: { 'bad key!': 'v' },
      tags: ['ok', 'xx'],
      data: { k: '' },
      flag: 'x',
      mode: 'strict',
    });
    expect(text(errors)).toEqual([
      expect.stringMatching(/^selector: Invalid value: "bad key!": name part must consist of alphanumeric characters/),
      'tags[1]: Invalid value: "xx": bad 1',
      'data[k]: Invalid value: "": empty',
      'flag: Invalid value: "x": not in strict mode',
    ]);
  });

  it('reports inherited rules before a subclass’s own, in declaration order', () => {
    class Base {
      @Required() first?: string;
      @Required() second?: string;
    }
    class Derived extends Base {
      @Required() third?: string;
    }
    expect(text(validateRules(Derived, {}))).toEqual(['first: Required value', 'second: Required value', 'third: Required value']);
  });

  it('ignores non-objects', () => {
    expect(validateRules(RootRules, undefined)).toEqual([]);
  });
});
