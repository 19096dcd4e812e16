import { Cluster } from '../../../cluster';
import { loadConfig } from '../../../config/config';
import type { KubeObject } from '../../../machinery/meta/types';
import { defaultListOptions } from '../../../registry/list-options';
import { ManualClock } from '../../../simulation/clock';
import { POD_STARTUP_MS } from '../../../simulation/kubelet';
import type { Pod } from '../../core/pod/pod.types';
import { podForJob } from './job.reconciler';
import type { Job, JobSpec } from './job.types';
import { until } from '../../../../test/support/until';

const NS = 'default';
let clock: ManualClock;
let cluster: Cluster;
const jobs = () => cluster.registry.forKind<Job>('batch', 'Job');
const pods = () => cluster.registry.forKind<Pod>('', 'Pod');
const job = (name: string) => jobs().find(NS, name)?.object as Job | undefined;
const podsOf = (name: string) => [...pods().cachedObjects(NS)].filter((p) => p.metadata.labels?.['job-name'] === name);
const conditions = (name: string) => (job(name)?.status?.conditions ?? []).map((c) => [c.type, c.status, c.reason]);
const eventTexts = (name: string) =>
  [...cluster.registry.forKind('', 'Event').cachedObjects(NS)]
    .filter((e) => (e.involvedObject as { name?: string }).name === name)
    .map((e) => `${e.reason as string}: ${e.message as string}`);

beforeEach(async () => {
  clock = new ManualClock(Date.parse('2026-03-01T10:00:00Z'));
  cluster = await Cluster.open(loadConfig(['--data-dir', ':memory:', '--log-level', 'silent'], {}), clock);
});
afterEach(() => cluster.close());

async function createJob(name: string, spec: Partial<JobSpec>, command: string[], restartPolicy = 'Never'): Promise<Job> {
  const { object } = await jobs().create(NS, {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ...spec, template: { spec: { restartPolicy, containers: [{ name: 'c', image: 'busybox', command }] } } },
  });
  return object as Job;
}

/** Waits until `count` pods of the Job exist and their kubelets have accepted them (startup time runs from there). */
async function accepted(name: string, count: number): Promise<Pod[]> {
  return until(() => {
    const found = podsOf(name);
    return found.length === count && found.every((p) => p.status?.startTime) && found;
  }, `${count} pods of ${name} accepted`);
}

/** Moves time forward in steps, letting the kubelets and the controller react after each. */
async function advance(ms: number, step = 250): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('job reconciler on manual time', () => {
  it('runs pods up to parallelism until the completions are reached, then completes', async () => {
    const created = await createJob('work', { completions: 3, parallelism: 2 }, ['sleep', '10']);
    await until(() => job('work')?.status?.active === 2, 'two active pods');
    const first = podsOf('work');
    expect(first).toHaveLength(2);
    for (const pod of first) {
      expect(pod.metadata.name).toMatch(/^work-[a-z0-9]{5}$/);
      expect(pod.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
      expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    expect(job('work')?.status).toMatchObject({ startTime: '2026-03-01T10:00:00Z', active: 2, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    await accepted('work', 2);
    await advance(POD_STARTUP_MS);
    await until(() => job('work')?.status?.ready === 2, 'two ready pods');

    await advance(10_000);
    await until(() => job('work')?.status?.succeeded === 2 && job('work')?.status?.active === 1, 'two succeeded and a third running');
    // Counted pods lose the tracking finalizer.
    expect(podsOf('work').filter((p) => p.status?.phase === 'Succeeded').every((p) => !p.metadata.finalizers)).toBe(true);
    expect(conditions('work')).toEqual([]);

    await advance(11_000);
    await until(() => job('work')?.status?.completionTime, 'completion');
    expect(conditions('work')).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ]);
    expect(job('work')?.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(job('work')?.status?.active).toBeUndefined();
    const texts = eventTexts('work');
    expect(texts.filter((t) => t.startsWith('SuccessfulCreate: Created pod: work-'))).toHaveLength(3);
    expect(texts).toContain('Completed: Job completed');
  });

  it('backs off before replacing failed pods and fails past backoffLimit', async () => {
    await createJob('flaky', { backoffLimit: 2 }, ['sh', '-c', 'exit 1']);
    await accepted('flaky', 1);
    await advance(POD_STARTUP_MS);
    await until(() => job('flaky')?.status?.failed === 1, 'one failure counted');
    // The replacement waits out the 10 s back-off.
    await advance(5_000);
    expect(podsOf('flaky')).toHaveLength(1);
    await advance(5_500);
    await accepted('flaky', 2);
    await advance(POD_STARTUP_MS);
    await until(() => job('flaky')?.status?.failed === 2, 'two failures');
    // The second back-off is 20 s.
    await advance(15_000);
    expect(podsOf('flaky')).toHaveLength(2);
    await advance(6_000);
    await accepted('flaky', 3);
    await advance(POD_STARTUP_MS);
    await until(() => conditions('flaky').length === 2, 'the Job failed');
    expect(conditions('flaky')).toEqual([
      ['FailureTarget', 'True', 'BackoffLimitExceeded'],
      ['Failed', 'True', 'BackoffLimitExceeded'],
    ]);
    expect(job('flaky')?.status).toMatchObject({ failed: 3, ready: 0, terminating: 0 });
    expect(job('flaky')?.status?.completionTime).toBeUndefined();
    expect(eventTexts('flaky')).toContain('BackoffLimitExceeded: Job has reached the specified backoff limit');
  });

  it('stops a Job past activeDeadlineSeconds, Failed only once its pods are gone', async () => {
    await createJob('slow', { activeDeadlineSeconds: 5 }, ['sleep', '100']);
    await accepted('slow', 1);
    await advance(POD_STARTUP_MS);
    await advance(5_000);
    await until(() => conditions('slow').some(([type]) => type === 'FailureTarget'), 'the interim FailureTarget');
    expect(conditions('slow')[0]).toEqual(['FailureTarget', 'True', 'DeadlineExceeded']);
    expect(eventTexts('slow').some((t) => /^SuccessfulDelete: Deleted pod: slow-/.test(t))).toBe(true);
    await advance(2_000);
    await until(() => conditions('slow').some(([type]) => type === 'Failed'), 'Failed');
    expect(job('slow')?.status).toMatchObject({ failed: 1, terminating: 0 });
    await until(() => podsOf('slow').length === 0, 'the pod removed');
  });

  it('gives Indexed pods their index in name, annotation, label, hostname and environment', async () => {
    await createJob('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }, ['sleep', '1']);
    await accepted('idx', 3);
    const byIndex = podsOf('idx').sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    byIndex.forEach((pod, i) => {
      expect(pod.metadata.name).toMatch(new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      expect(pod.metadata.annotations?.['batch.kubernetes.io/job-completion-index']).toBe(String(i));
      expect(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index']).toBe(String(i));
      expect(pod.spec?.hostname).toBe(`idx-${i}`);
      expect(pod.spec?.containers?.[0].env).toEqual([
        { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
      ]);
    });
    await advance(POD_STARTUP_MS + 1_500);
    // A busy machine may let a kubelet pass run a step late, starting a pod later in clock time.
    for (let i = 0; i < 40 && !job('idx')?.status?.completionTime; i++) await advance(250);
    await until(() => job('idx')?.status?.completionTime, 'completion');
    expect(job('idx')?.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
  });

  it('ends the Job on a FailJob podFailurePolicy rule and ignores what an Ignore rule matches', async () => {
    const policy = { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } }, { action: 'Ignore', onExitCodes: { operator: 'In', values: [3] } }] };
    await createJob('ignored', { backoffLimit: 0, podFailurePolicy: policy }, ['sh', '-c', 'exit 3']);
    await createJob('fatal', { backoffLimit: 6, podFailurePolicy: policy }, ['sh', '-c', 'exit 42']);
    expect(job('fatal')?.spec?.podReplacementPolicy).toBe('Failed');
    await accepted('ignored', 1);
    await accepted('fatal', 1);
    await advance(POD_STARTUP_MS);
    await until(() => conditions('fatal').length === 2, 'the Job failed');
    expect(job('fatal')?.status?.conditions?.map((c) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'PodFailurePolicy', `Container c for pod default/${podsOf('fatal')[0].metadata.name} failed with exit code 42 matching FailJob rule at index 0`],
      ['Failed', 'PodFailurePolicy', `Container c for pod default/${podsOf('fatal')[0].metadata.name} failed with exit code 42 matching FailJob rule at index 0`],
    ]);
    expect(job('fatal')?.status?.failed).toBe(1);
    // backoffLimit 0, yet the ignored failure neither counts nor fails the Job: a new pod comes after the back-off.
    await advance(10_500);
    await until(() => podsOf('ignored').length === 2, 'a replacement of the ignored failure');
    expect(job('ignored')?.status?.failed).toBeUndefined();
    expect(conditions('ignored')).toEqual([]);
  });

  it('completes an Indexed Job once its successPolicy is met, stopping the rest', async () => {
    const { object } = await jobs().create(NS, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'leader' },
      spec: {
        completions: 3,
        parallelism: 3,
        completionMode: 'Indexed',
        successPolicy: { rules: [{ succeededIndexes: '0' }] },
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 100'] }] } },
      },
    });
    expect(object.metadata.name).toBe('leader');
    await until(() => podsOf('leader').length === 3, 'three pods');
    // Index 0 succeeds (its pod's status written as the kubelet would).
    const zero = podsOf('leader').find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0')!;
    await pods().guaranteedUpdate(NS, zero.metadata.name!, (p) => ({ ...p, status: { ...p.status, phase: 'Succeeded' } }), {}, 'status');
    await until(() => conditions('leader').some(([type]) => type === 'SuccessCriteriaMet'), 'SuccessCriteriaMet');
    expect(job('leader')?.status?.conditions?.[0]).toMatchObject({ type: 'SuccessCriteriaMet', reason: 'SuccessPolicy', message: 'Matched rules at index 0' });
    await advance(2_000);
    await until(() => conditions('leader').some(([type]) => type === 'Complete'), 'Complete once the other pods are gone');
    expect(job('leader')?.status).toMatchObject({ succeeded: 1, completedIndexes: '0', terminating: 0 });
  });

  it('retries each index up to backoffLimitPerIndex, then fails the Job with its failed indexes', async () => {
    await createJob('per-index', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1 }, ['sh', '-c', 'exit 1']);
    await createJob('strict', { completions: 3, parallelism: 3, completionMode: 'Indexed', backoffLimitPerIndex: 0, maxFailedIndexes: 0 }, ['sh', '-c', 'exit 1']);
    expect(job('per-index')?.spec?.backoffLimit).toBe(2147483647);
    await accepted('per-index', 2);
    await accepted('strict', 3);
    expect(podsOf('per-index').map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count'])).toEqual(['0', '0']);
    await advance(POD_STARTUP_MS);
    await until(() => conditions('strict').some(([type]) => type === 'Failed'), 'strict failed');
    expect(job('strict')?.status?.conditions?.map((c) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes'],
      ['Failed', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes'],
    ]);
    // The other indexes' pods were stopped, not failed by their own attempts.
    expect(job('strict')?.status).toMatchObject({ failedIndexes: '0', failed: 3 });

    // Each index of per-index gets one more try, after its own 10 s back-off, counting its failure.
    await until(() => job('per-index')?.status?.failedIndexes === '', 'the failures seen, no index failed yet');
    await advance(10_500 + POD_STARTUP_MS);
    await until(() => conditions('per-index').some(([type]) => type === 'Failed'), 'per-index failed');
    expect(conditions('per-index')).toEqual([
      ['FailureTarget', 'True', 'FailedIndexes'],
      ['Failed', 'True', 'FailedIndexes'],
    ]);
    expect(job('per-index')?.status).toMatchObject({ failed: 4, failedIndexes: '0-1', terminating: 0 });
    const counts = podsOf('per-index').map((p) => `${p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']}:${p.metadata.annotations?.['batch.kubernetes.io/job-index-failure-count']}`);
    expect(counts.sort()).toEqual(['0:0', '0:1', '1:0', '1:1']);
    expect(podsOf('per-index').every((p) => !p.metadata.finalizers)).toBe(true);
  });

  it('suspends and resumes', async () => {
    await createJob('later', { suspend: true }, ['sleep', '1']);
    await until(() => conditions('later').length === 1, 'the Suspended condition');
    expect(conditions('later')).toEqual([['Suspended', 'True', 'JobSuspended']]);
    expect(podsOf('later')).toHaveLength(0);
    expect(job('later')?.status?.startTime).toBeUndefined();
    await jobs().guaranteedUpdate(NS, 'later', (j) => ({ ...j, spec: { ...j.spec, suspend: false } }));
    await until(() => podsOf('later').length === 1, 'a pod after resuming');
    await until(() => conditions('later')[0]?.[1] === 'False', 'the resumed condition');
    expect(conditions('later')).toEqual([['Suspended', 'False', 'JobResumed']]);
    expect(eventTexts('later')).toEqual(expect.arrayContaining(['Suspended: Job suspended', 'Resumed: Job resumed']));
  });

  it('deletes a finished Job ttlSecondsAfterFinished later, with its pods', async () => {
    await createJob('brief', { ttlSecondsAfterFinished: 30 }, ['true']);
    await until(() => podsOf('brief')[0]?.status?.startTime, 'the pod accepted');
    await advance(POD_STARTUP_MS);
    await until(() => job('brief')?.status?.completionTime, 'completion');
    await advance(20_000, 1_000);
    expect(job('brief')).toBeDefined();
    await advance(11_000, 1_000);
    await until(() => (job('brief') ? undefined : true), 'the Job deleted');
    await until(() => podsOf('brief').length === 0, 'its pod deleted');
  });

  it('defaults, generates the selector and refuses what upstream refuses', async () => {
    const created = await createJob('shape', {}, ['true']);
    const uid = created.metadata.uid!;
    expect(created.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(created.spec?.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(created.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'shape', 'controller-uid': uid, 'job-name': 'shape' });
    expect(created.status).toEqual({});

    const invalid = async (spec: Record<string, unknown>): Promise<string> => {
      try {
        await jobs().create(NS, { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bad' }, spec } as KubeObject);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    const containers = [{ name: 'c', image: 'busybox' }];
    expect(await invalid({ template: { spec: { containers } } })).toBe(
      'Job.batch "bad" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    );
    expect(await invalid({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '2-1' }] }, template: { spec: { restartPolicy: 'Never', containers } } })).toBe(
      'Job.batch "bad" is invalid: spec.successPolicy.rules[0].succeededIndexes: Invalid value: "2-1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1',
    );
    expect(await invalid({ backoffLimit: -1, template: { spec: { restartPolicy: 'Never', containers } } })).toBe(
      'Job.batch "bad" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
    );
    // Completions default to 1 only when parallelism is unset too.
    expect(await invalid({ completionMode: 'Indexed', parallelism: 2, template: { spec: { restartPolicy: 'Never', containers } } })).toBe(
      'Job.batch "bad" is invalid: spec.completions: Required value: when completion mode is Indexed',
    );
    // The template may not change once the Job exists.
    await expect(
      jobs().guaranteedUpdate(NS, 'shape', (j) => {
        j.spec!.template!.spec!.containers![0].image = 'alpine';
        return j;
      }),
    ).rejects.toThrow(/spec.template: Invalid value: .*: field is immutable/);
    const list = await jobs().list(NS, defaultListOptions());
    expect(list.items.map((e) => e.object.metadata.name)).toEqual(['shape']);
  });
});

describe('pods for Indexed Jobs', () => {
  it('keep the index in a generateName cut to 58 characters', () => {
    const job: Job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j'.repeat(60), namespace: NS, uid: 'u' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } };
    expect(podForJob(job, 12).metadata.generateName).toBe(`${'j'.repeat(54)}-12-`);
    expect(podForJob({ ...job, metadata: { ...job.metadata, name: 'short' } }, 3).metadata.generateName).toBe('short-3-');
  });
});
