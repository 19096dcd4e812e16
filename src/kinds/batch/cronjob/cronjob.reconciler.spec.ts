import { Cluster } from '../../../cluster';
import { loadConfig } from '../../../config/config';
import type { KubeObject } from '../../../machinery/meta/types';
import { ManualClock } from '../../../simulation/clock';
import type { Job } from '../job/job.types';
import { parseSchedule, scheduleError } from './cron-schedule';
import { cronJobReconciler, formatInZone, mostRecentScheduleTime } from './cronjob.reconciler';
import type { CronJob, CronJobSpec } from './cronjob.types';
import { until } from '../../../../test/support/until';

const NS = 'default';
const START = Date.parse('2026-03-01T10:00:30Z');
let clock: ManualClock;
let cluster: Cluster;
const cronJobs = () => cluster.registry.forKind<CronJob>('batch', 'CronJob');
const jobStore = () => cluster.registry.forKind<Job>('batch', 'Job');
const cronJob = (name: string) => cronJobs().find(NS, name)?.object as CronJob | undefined;
const jobsOf = (name: string) => [...jobStore().cachedObjects(NS)].filter((j) => j.metadata.ownerReferences?.[0]?.name === name).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
const eventTexts = (name: string) =>
  [...cluster.registry.forKind('', 'Event').cachedObjects(NS)]
    .filter((e) => (e.involvedObject as { name?: string; kind?: string }).name === name && (e.involvedObject as { kind?: string }).kind === 'CronJob')
    .map((e) => `${e.reason as string}: ${e.message as string}`);
const minutes = (iso: string) => Math.floor(Date.parse(iso) / 60_000);

beforeEach(async () => {
  clock = new ManualClock(START);
  cluster = await Cluster.open(loadConfig(['--data-dir', ':memory:', '--log-level', 'silent'], {}), clock);
});
afterEach(() => cluster.close());

async function createCronJob(name: string, spec: Partial<CronJobSpec>, command: string[] = ['true']): Promise<CronJob> {
  const { object } = await cronJobs().create(NS, {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: { schedule: '*/1 * * * *', ...spec, jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox', command }] } } } } },
  });
  // Let the first pass run before time moves: its wake-up is relative to the time it read.
  await new Promise((r) => setTimeout(r, 50));
  return object as CronJob;
}

async function advance(ms: number, step = 1_000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('cronjob reconciler on manual time', () => {
  it('creates a Job at each scheduled minute, follows it and records the times', async () => {
    const created = await createCronJob('hello', {});
    expect(created.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    // The jobTemplate gets a pod template's defaults but none of a Job's.
    expect(created.spec?.jobTemplate?.spec).toEqual({ template: expect.objectContaining({ spec: expect.objectContaining({ dnsPolicy: 'ClusterFirst' }) }) });
    await new Promise((r) => setTimeout(r, 50));
    expect(jobsOf('hello')).toHaveLength(0);

    await advance(31_000);
    const [job] = await until(() => jobsOf('hello').length === 1 && jobsOf('hello'), 'the first Job');
    expect(job.metadata.name).toBe(`hello-${minutes('2026-03-01T10:01:00Z')}`);
    expect(job.metadata.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-03-01T10:01:00Z' });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(job.spec).toMatchObject({ backoffLimit: 6, completions: 1 });
    await until(() => cronJob('hello')?.status?.active?.length === 1, 'the Job active');
    expect(cronJob('hello')?.status).toEqual({
      active: [{ kind: 'Job', namespace: NS, name: job.metadata.name, uid: job.metadata.uid, apiVersion: 'batch/v1', resourceVersion: expect.any(String) }],
      lastScheduleTime: '2026-03-01T10:01:00Z',
    });
    expect(eventTexts('hello')).toContain(`SuccessfulCreate: Created job ${job.metadata.name}`);

    await advance(5_000);
    await until(() => cronJob('hello')?.status?.lastSuccessfulTime, 'the Job seen completed');
    expect(cronJob('hello')?.status?.active).toBeUndefined();
    expect(eventTexts('hello')).toContain(`SawCompletedJob: Saw completed job: ${job.metadata.name}, condition: Complete`);
  });

  it('keeps successfulJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
    await createCronJob('tidy', { successfulJobsHistoryLimit: 2 });
    await advance(5 * 60_000 + 10_000, 5_000);
    await until(() => jobsOf('tidy').length === 2 && jobsOf('tidy'), 'two Jobs left');
    expect(jobsOf('tidy').map((j) => j.metadata.name)).toEqual([`tidy-${minutes('2026-03-01T10:04:00Z')}`, `tidy-${minutes('2026-03-01T10:05:00Z')}`]);
    expect(eventTexts('tidy')).toEqual(expect.arrayContaining([`SuccessfulDelete: Deleted job tidy-${minutes('2026-03-01T10:01:00Z')}`]));
  });

  it('Forbid skips a run while one is active; Replace deletes the running one', async () => {
    await createCronJob('single', { concurrencyPolicy: 'Forbid' }, ['sleep', '150']);
    await createCronJob('latest', { concurrencyPolicy: 'Replace' }, ['sleep', '150']);
    await advance(31_000);
    await until(() => jobsOf('single').length === 1 && jobsOf('latest').length === 1, 'the first Jobs');
    await advance(60_000);
    await until(() => eventTexts('single').includes('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid'), 'Forbid');
    expect(jobsOf('single')).toHaveLength(1);
    await until(() => jobsOf('latest').some((j) => j.metadata.name === `latest-${minutes('2026-03-01T10:02:00Z')}`), 'the replacement');
    expect(eventTexts('latest')).toContain(`SuccessfulDelete: Deleted job latest-${minutes('2026-03-01T10:01:00Z')}`);
    await until(() => jobsOf('latest').length === 1, 'the replaced Job gone');
  });

  it('does not run times missed while suspended beyond startingDeadlineSeconds', async () => {
    await createCronJob('paused', { suspend: true, startingDeadlineSeconds: 10 });
    await advance(3 * 60_000);
    expect(jobsOf('paused')).toHaveLength(0);
    await cronJobs().guaranteedUpdate(NS, 'paused', (cj) => ({ ...cj, spec: { ...cj.spec, suspend: false } }));
    await new Promise((r) => setTimeout(r, 50));
    expect(jobsOf('paused')).toHaveLength(0);
    await advance(31_000);
    const [job] = await until(() => jobsOf('paused').length === 1 && jobsOf('paused'), 'the next scheduled Job');
    expect(job.metadata.name).toBe(`paused-${minutes('2026-03-01T10:04:00Z')}`);
  });

  it('reads the schedule in spec.timeZone', async () => {
    await createCronJob('local', { schedule: '1 5 * * *', timeZone: 'America/New_York' });
    // 05:01 in New York on 1 March 2026 is 10:01 UTC.
    await advance(31_000);
    const [job] = await until(() => jobsOf('local').length === 1 && jobsOf('local'), 'the Job');
    expect(job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-03-01T05:01:00-05:00');
  });

  it('asks to look again within an hour, however far the next time is', async () => {
    await createCronJob('yearly', { schedule: '@yearly' });
    await createCronJob('soon', { schedule: '*/5 * * * *' });
    const reconciler = cronJobReconciler(cluster.registry, clock);
    // Timers cannot wait a year: the queue would fire at once, over and over.
    expect(await reconciler.reconcile(`${NS}/yearly`)).toEqual({ requeueAfterMs: 3_600_000 });
    // 10:00:30 → 10:05:00, and a tenth of a second more.
    expect(await reconciler.reconcile(`${NS}/soon`)).toEqual({ requeueAfterMs: 270_100 });
  });

  it('refuses what upstream refuses', async () => {
    const invalid = async (spec: Partial<CronJobSpec>, name = 'bad'): Promise<string> => {
      try {
        await cronJobs().create(NS, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name }, spec: { jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec } } as KubeObject);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(await invalid({})).toBe('CronJob.batch "bad" is invalid: spec.schedule: Required value');
    expect(await invalid({ schedule: '* * *' })).toBe('CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]');
    expect(await invalid({ schedule: '61 * * * *' })).toBe('CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
    expect(await invalid({ schedule: 'TZ=UTC 0 * * * *' })).toBe(
      'CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    );
    expect(await invalid({ schedule: '@hourly', timeZone: 'Mars/Olympus' })).toBe('CronJob.batch "bad" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
    expect(await invalid({ schedule: '@daily', concurrencyPolicy: 'Sometimes' })).toBe(
      'CronJob.batch "bad" is invalid: spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    );
    expect(await invalid({ schedule: '@daily' }, 'a'.repeat(53))).toBe(`CronJob.batch "${'a'.repeat(53)}" is invalid: metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`);
    expect(await invalid({ schedule: '@weekly' })).toBe('accepted');
    const dotted = await cronJobs().create(NS, { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly.report' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } } as KubeObject);
    expect(dotted.warnings).toEqual([
      "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
    ]);
  });
});

describe('schedules', () => {
  it('reads descriptors and named fields as robfig/cron does', () => {
    const after = new Date('2026-03-01T10:00:30Z');
    expect(parseSchedule('@hourly').next(after).toISOString()).toBe('2026-03-01T11:00:00.000Z');
    expect(parseSchedule('0 0 * * mon').next(after).toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(parseSchedule('@every 90s').next(after).toISOString()).toBe('2026-03-01T10:02:00.000Z');
    expect(scheduleError('@fortnightly')).toBe('unrecognized descriptor: @fortnightly');
    expect(scheduleError('x * * * *')).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(scheduleError('* * * * 7')).toBe('end of range (7) above maximum (6): 7');
  });

  it('finds the most recent missed time', () => {
    const cj: CronJob = { metadata: { creationTimestamp: '2026-03-01T10:00:00Z' }, spec: { schedule: '*/5 * * * *' } };
    const schedule = parseSchedule('*/5 * * * *');
    expect(mostRecentScheduleTime(cj, new Date('2026-03-01T10:03:00Z'), schedule, true)).toMatchObject({ missed: 0 });
    expect(mostRecentScheduleTime(cj, new Date('2026-03-01T10:07:00Z'), schedule, true)).toMatchObject({ missed: 1, mostRecent: new Date('2026-03-01T10:05:00Z') });
    expect(mostRecentScheduleTime(cj, new Date('2026-03-01T10:31:00Z'), schedule, true)).toMatchObject({ missed: 6, mostRecent: new Date('2026-03-01T10:30:00Z') });
    expect(formatInZone(new Date('2026-07-01T12:00:00Z'), 'Europe/Paris')).toBe('2026-07-01T14:00:00+02:00');
  });
});
