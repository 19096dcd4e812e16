/**
 * Jobs and CronJobs through real kubectl, with the job and cronjob reconcilers, the scheduler and
 * the simulated kubelets at work: create (protobuf from kubectl 1.32+), wait for completion, the
 * printers, failing and parallel Jobs, CronJobs on a schedule (a server whose clock runs 60 times
 * faster), `create job --from=cronjob`, validation and cascading deletion.
 */
import { kubectlBinary, parseTable, startKubemu, type Kubemu } from '../support/kubemu';
import { ensureDebianPackage, runProcess } from '../support/process';

let k: Kubemu;

beforeAll(async () => {
  // A minute of cluster time passes in a second, so `*/1 * * * *` fires every second or so.
  k = await startKubemu({ timeScale: 60 });
});
afterAll(() => k.close());

const ok = (args: string[], stdin?: string) => k.ok(args, { stdin });

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface JobJson {
  metadata: { name: string; uid: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; controller: boolean }[] };
  spec: Record<string, unknown> & { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
  status: { succeeded?: number; failed?: number; active?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[]; completionTime?: string; startTime?: string };
}

async function getJob(name: string): Promise<JobJson> {
  return JSON.parse(await ok(['get', 'job', name, '-o', 'json'])) as JobJson;
}

async function events(name: string): Promise<string> {
  return ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
}

describe('Jobs', () => {
  it('runs the pi Job of the documentation to completion', async () => {
    expect(await ok(['create', 'job', 'pi', '--image=perl:5.34.0', '--', 'perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'])).toBe('job.batch/pi created\n');
    expect(await ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=60s'])).toBe('job.batch/pi condition met\n');

    const job = await getJob('pi');
    const uid = job.metadata.uid;
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' };
    expect(job.spec.template.metadata.labels).toEqual(labels);
    expect(job.metadata.labels).toEqual(labels);
    expect(job.status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(job.status.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);

    const table = parseTable(await ok(['get', 'jobs']));
    expect(table.header).toMatch(/^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$/);
    expect(table.rows.find((r) => r[0] === 'pi')?.slice(0, 3)).toEqual(['pi', 'Complete', '1/1']);
    const wide = parseTable(await ok(['get', 'job', 'pi', '-o', 'wide']));
    expect(wide.header).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR$/);
    expect(wide.rows[0].slice(-3)).toEqual(['pi', 'perl:5.34.0', `batch.kubernetes.io/controller-uid=${uid}`]);

    // The pod: named <job>-<5 random>, controlled by the Job, its finalizer gone once counted.
    const pods = JSON.parse(await ok(['get', 'pods', '-l', 'job-name=pi', '-o', 'json'])) as { items: { metadata: { name: string; finalizers?: string[]; ownerReferences: { kind: string; name: string; controller: boolean; blockOwnerDeletion: boolean }[] }; status: { phase: string } }[] };
    expect(pods.items).toHaveLength(1);
    const pod = pods.items[0];
    expect(pod.metadata.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Job', name: 'pi', controller: true, blockOwnerDeletion: true })]);
    expect(pod.metadata.finalizers ?? []).toEqual([]);
    expect(pod.status.phase).toBe('Succeeded');

    expect(await events('pi')).toMatch(new RegExp(`SuccessfulCreate\\s+Created pod: ${pod.metadata.name}\\n(.|\\n)*Completed\\s+Job completed`));
    // kubectl logs finds the Job's pod through its selector.
    expect(await ok(['logs', 'job/pi'])).toMatch(/^3\.14159265358979323846/);
    const describe = await ok(['describe', 'job', 'pi']);
    expect(describe).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
  });

  it('fails a Job whose pods keep failing once backoffLimit is passed', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: batch/v1
kind: Job
metadata:
  name: doomed
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: busybox
        command: ["sh", "-c", "exit 1"]
`);
    expect(await ok(['wait', '--for=condition=failed', 'job/doomed', '--timeout=60s'])).toBe('job.batch/doomed condition met\n');
    const job = await getJob('doomed');
    expect(job.status).toMatchObject({ failed: 2, ready: 0, terminating: 0 });
    expect(job.status.succeeded).toBeUndefined();
    expect(job.status.conditions?.map((c) => [c.type, c.reason, c.message])).toEqual([
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect(parseTable(await ok(['get', 'job', 'doomed'])).rows[0].slice(0, 3)).toEqual(['doomed', 'Failed', '0/1']);
    expect(await events('doomed')).toMatch(/BackoffLimitExceeded\s+Job has reached the specified backoff limit/);
  });

  it('runs parallel completions', async () => {
    await ok(['apply', '-f', '-'], `apiVersion: batch/v1
kind: Job
metadata:
  name: batch
spec:
  completions: 5
  parallelism: 2
  template:
    spec:
      restartPolicy: OnFailure
      containers:
      - name: c
        image: busybox
        command: ["sleep", "2"]
`);
    await ok(['wait', '--for=condition=complete', 'job/batch', '--timeout=60s']);
    expect(parseTable(await ok(['get', 'job', 'batch'])).rows[0].slice(0, 3)).toEqual(['batch', 'Complete', '5/5']);
    const pods = parseTable(await ok(['get', 'pods', '-l', 'job-name=batch', '--no-headers']));
    expect(pods.lines).toHaveLength(5);
    // Jobs can be selected by their success count.
    expect(await ok(['get', 'jobs', '--field-selector', 'status.successful=5', '-o', 'name'])).toBe('job.batch/batch\n');
  });

  it('refuses a Job that would restart its pods forever', async () => {
    const r = await k.kubectl(['apply', '-f', '-'], {
      stdin: `apiVersion: batch/v1
kind: Job
metadata:
  name: forever
spec:
  template:
    spec:
      containers:
      - name: c
        image: busybox
`,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('The Job "forever" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
  });

  it('deletes a Job in the foreground: pods first, the Job last', async () => {
    await ok(['create', 'job', 'fg', '--image=busybox', '--', 'sleep', '3600']);
    await eventually(() => getJob('fg'), (j) => (j.status.active ?? 0) === 1);
    expect(await ok(['delete', 'job', 'fg', '--cascade=foreground', '--timeout=60s'])).toBe('job.batch "fg" deleted\n');
    expect(await ok(['get', 'pods', '-l', 'job-name=fg', '-o', 'name'])).toBe('');
  });

  it('deletes a Job with its pods (cascading)', async () => {
    expect(await ok(['delete', 'job', 'batch'])).toBe('job.batch "batch" deleted\n');
    const left = await eventually(() => ok(['get', 'pods', '-l', 'job-name=batch', '-o', 'name']), (out) => out.trim() === '');
    expect(left.trim()).toBe('');
  });
});

const HELLO_CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox:1.28
            imagePullPolicy: IfNotPresent
            command: ["/bin/sh", "-c", "date; echo Hello from the Kubernetes cluster"]
          restartPolicy: OnFailure
`;

async function jobsOwnedBy(cronJob: string): Promise<JobJson[]> {
  const list = JSON.parse(await ok(['get', 'jobs', '-o', 'json'])) as { items: JobJson[] };
  return list.items.filter((j) => j.metadata.ownerReferences?.some((r) => r.kind === 'CronJob' && r.name === cronJob));
}

describe('CronJobs', () => {
  it('creates Jobs on the schedule of an applied CronJob', async () => {
    expect(await ok(['apply', '-f', '-'], HELLO_CRONJOB)).toBe('cronjob.batch/hello created\n');
    const table = parseTable(await ok(['get', 'cronjobs']));
    expect(table.header).toMatch(/^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$/);
    expect(table.rows[0].slice(0, 5)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', '0']);
    expect(parseTable(await ok(['get', 'cj', 'hello', '-o', 'wide'])).header).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR$/);

    // A minute of cluster time is a second here.
    const jobs = await eventually(() => jobsOwnedBy('hello'), (list) => list.some((j) => j.status.succeeded === 1), 20_000);
    const job = jobs.find((j) => j.status.succeeded === 1)!;
    const scheduled = job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'];
    expect(scheduled).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$/);
    expect(job.metadata.name).toBe(`hello-${Date.parse(scheduled!) / 60_000}`);
    const cronJob = JSON.parse(await ok(['get', 'cronjob', 'hello', '-o', 'json'])) as { status: { lastScheduleTime?: string; lastSuccessfulTime?: string } };
    expect(cronJob.status.lastScheduleTime).toBeDefined();
    await eventually(() => ok(['get', 'cronjob', 'hello', '-o', 'jsonpath={.status.lastSuccessfulTime}']), (t) => t !== '');
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=CronJob,involvedObject.name=hello', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
    expect(events).toContain(`Created job ${job.metadata.name}`);
    expect(events).toMatch(/SawCompletedJob\s+Saw completed job: hello-\d+, condition: Complete/);

    // successfulJobsHistoryLimit (3) keeps the newest finished Jobs only.
    await eventually(() => ok(['get', 'events', '--field-selector', 'involvedObject.name=hello,reason=SuccessfulDelete', '-o', 'name']), (out) => out.trim() !== '', 20_000);
    const finished = (await jobsOwnedBy('hello')).filter((j) => j.status.succeeded === 1);
    expect(finished.length).toBeLessThanOrEqual(3);
  });

  it('kubectl create cronjob (protobuf from 1.32, JSON from 1.27) and create job --from=cronjob', async () => {
    expect(await ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date'])).toBe('cronjob.batch/tick created\n');
    const r = await k.kubectl(['create', 'cronjob', 'tock', '--image=busybox', '--schedule=@hourly', '--', 'date'], { binary: kubectlBinary(27) });
    expect(r.stdout).toBe('cronjob.batch/tock created\n');
    const tick = JSON.parse(await ok(['get', 'cj', 'tick', '-o', 'json'])) as { spec: { jobTemplate: { spec: Record<string, unknown> } } };
    expect(tick.spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(tick.spec.jobTemplate.spec.parallelism).toBeUndefined();

    expect(await ok(['create', 'job', 'tick-now', '--from=cronjob/tick'])).toBe('job.batch/tick-now created\n');
    await ok(['wait', '--for=condition=complete', 'job/tick-now', '--timeout=60s']);
    const job = await getJob('tick-now');
    expect(job.metadata.annotations?.['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(job.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'CronJob', name: 'tick', controller: true })]);
  });

  it('refuses a schedule robfig/cron cannot read', async () => {
    const r = await k.kubectl(['create', 'cronjob', 'never', '--image=busybox', '--schedule=61 * * * *']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: failed to create cronjob: CronJob.batch "never" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  });

  it('deletes a CronJob with its Jobs and their pods', async () => {
    expect(await ok(['delete', 'cronjob', 'hello'])).toBe('cronjob.batch "hello" deleted\n');
    const left = await eventually(() => jobsOwnedBy('hello'), (list) => list.length === 0);
    expect(left).toEqual([]);
    const pods = await eventually(() => ok(['get', 'pods', '-o', 'name']), (out) => !/pod\/hello-/.test(out));
    expect(pods).not.toMatch(/pod\/hello-/);
  });
});

describe('the Python client', () => {
  it('creates and reads Jobs and CronJobs as typed objects', async () => {
    await ensureDebianPackage('python3-kubernetes', { command: '/usr/bin/python3', args: ['-c', 'import kubernetes'] });
    const script = k.writeFile('batch.py', `
import json, sys
from kubernetes import client
cfg = client.Configuration()
cfg.host = sys.argv[1]
batch = client.BatchV1Api(client.ApiClient(cfg))
job = client.V1Job(metadata=client.V1ObjectMeta(name='py-job'), spec=client.V1JobSpec(
    template=client.V1PodTemplateSpec(spec=client.V1PodSpec(restart_policy='Never',
        containers=[client.V1Container(name='c', image='busybox', command=['true'])]))))
created = batch.create_namespaced_job('default', job)
jobs = batch.list_namespaced_job('default')
cronjobs = batch.list_namespaced_cron_job('default')
print(json.dumps({'backoff': created.spec.backoff_limit, 'selector': created.spec.selector.match_labels,
                  'jobs': sorted(j.metadata.name for j in jobs.items), 'cronjobs': sorted(c.metadata.name for c in cronjobs.items),
                  'conditions': [[c.type, c.status] for j in jobs.items if j.metadata.name == 'pi' for c in j.status.conditions]}))
`);
    const r = await runProcess('/usr/bin/python3', [script, k.url], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: k.dir, LANG: 'C.UTF-8' }, timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`python exited ${r.code}: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { backoff: number; selector: Record<string, string>; jobs: string[]; cronjobs: string[]; conditions: string[][] };
    expect(out.backoff).toBe(6);
    expect(Object.keys(out.selector)).toEqual(['batch.kubernetes.io/controller-uid']);
    expect(out.jobs).toEqual(expect.arrayContaining(['pi', 'py-job', 'tick-now']));
    expect(out.cronjobs).toEqual(expect.arrayContaining(['tick', 'tock']));
    expect(out.conditions).toEqual([['SuccessCriteriaMet', 'True'], ['Complete', 'True']]);
  }, 600_000);
});
