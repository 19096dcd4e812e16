import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import type { Pod } from '../../core/pod/pod.types';
import type { PriorityClass } from './priorityclass.types';
import { validatePriorityClass, validatePriorityClassUpdate } from './priorityclass.validation';

const messages = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass => ({ metadata: { name }, value, ...extra });

describe('PriorityClass validation (pkg/apis/scheduling/validation)', () => {
  it('reserves system- names and values above a billion', () => {
    expect(validatePriorityClass(pc('high', 1000))).toEqual([]);
    expect(validatePriorityClass(pc('system-node-critical', 2000001000))).toEqual([]);
    expect(messages(validatePriorityClass(pc('system-mine', 10)))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
    expect(messages(validatePriorityClass(pc('system-cluster-critical', 10)))).toEqual([
      "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000",
    ]);
    expect(messages(validatePriorityClass(pc('huge', 1000000001)))).toEqual(['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    expect(messages(validatePriorityClass(pc('odd', 1, { preemptionPolicy: 'Sometimes' })))).toEqual([
      'preemptionPolicy: Unsupported value: "Sometimes": supported values: "PreemptLowerPriority", "Never"',
    ]);
  });

  it('keeps value and preemption policy', () => {
    expect(messages(validatePriorityClassUpdate(pc('high', 2, { preemptionPolicy: 'Never' }), pc('high', 1, { preemptionPolicy: 'PreemptLowerPriority' })))).toEqual([
      'value: Forbidden: may not be changed in an update.',
      'preemptionPolicy: Invalid value: "Never": field is immutable',
    ]);
  });
});

describe('PriorityClasses and pod priority admission', () => {
  let env: SeededRegistry;
  beforeAll(async () => (env = await seededRegistry()));
  afterAll(() => env.close());
  const classes = () => env.registry.forKind<PriorityClass>('scheduling.k8s.io', 'PriorityClass');
  const createPod = (name: string, spec: Partial<NonNullable<Pod['spec']>> = {}) =>
    env.registry.forKind<Pod>('', 'Pod').create('default', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } } as Pod);

  it('starts with the two system classes', () => {
    expect([...classes().cachedObjects()].map((c) => [c.metadata.name, c.value, c.preemptionPolicy]).sort()).toEqual([
      ['system-cluster-critical', 2000000000, 'PreemptLowerPriority'],
      ['system-node-critical', 2000001000, 'PreemptLowerPriority'],
    ]);
  });

  it('gives pods the priority of their class, or of the default class', async () => {
    const critical = (await createPod('critical', { priorityClassName: 'system-node-critical' })).object as Pod;
    expect(critical.spec).toMatchObject({ priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
    const plain = (await createPod('plain')).object as Pod;
    expect(plain.spec).toMatchObject({ priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    expect(plain.spec?.priorityClassName).toBeUndefined();

    await expect(createPod('missing', { priorityClassName: 'nope' })).rejects.toThrow('pods "missing" is forbidden: no PriorityClass with name nope was found');
    const { object: batch } = await classes().create(undefined, pc('batch', 100, { globalDefault: true, preemptionPolicy: 'Never' }));
    expect(batch.metadata.generation).toBe(1);
    await expect(classes().create(undefined, pc('other', 5, { globalDefault: true }))).rejects.toThrow(
      'priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass batch is already marked as default. Only one default can exist',
    );
    const defaulted = (await createPod('defaulted')).object as Pod;
    expect(defaulted.spec).toMatchObject({ priorityClassName: 'batch', priority: 100, preemptionPolicy: 'Never' });
    await expect(createPod('contradicts', { priority: 7 })).rejects.toThrow(
      'pods "contradicts" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 100 from the given PriorityClass name',
    );
  });
});
