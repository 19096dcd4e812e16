/**
 * The simulated kubelets: every pod bound to a node is driven through its lifecycle as a real
 * kubelet reports it: accepted (Pending, ContainerCreating), its sandbox and IP, init containers
 * one after another, containers running and ready, programs that finish (container-program.ts)
 * and the restart policy, and graceful deletion (containers stopped, then the pod removed). All
 * state lives in the pod's status; each pass moves it to "now" and asks to be woken at the next
 * due transition.
 */
import { randomBytes } from 'node:crypto';
import { EventRecorder, type EventType } from '../controller-runtime/event-recorder';
import { objectKey, splitKey, type Reconciler } from '../controller-runtime/reconciler';
import { StatusError } from '../machinery/errors/status-error';
import { numberToIpv4, parseCidr } from '../machinery/net/ipv4';
import type { KubeObject } from '../machinery/meta/types';
import { defaultListOptions } from '../registry/list-options';
import type { ResourceRegistry } from '../registry/registry';
import { setPodCondition } from '../kinds/core/pod/pod.binding';
import type { Container, ContainerStatus, Pod, PodCondition, PodStatus } from '../kinds/core/pod/pod.types';
import { formatTime, type Clock } from './clock';
import { containerProgram } from './container-program';
import { containerOutput } from './container-output';
import { fullImageName, imageID, imageSize } from './images';
import type { ContainerRuntime } from './container-runtime';
import type { Node } from './scheduler';

/**
 * How a user takes a simulated node down: its kubelet stops (no heartbeats, no pod updates) while
 * the Node carries this annotation with the value "true", as if the machine had failed.
 */
export const KUBELET_STOPPED_ANNOTATION = 'kubemu.io/kubelet-stopped';

export function isKubeletStopped(node: KubeObject): boolean {
  return node.metadata.annotations?.[KUBELET_STOPPED_ANNOTATION] === 'true';
}

/** How often a kubelet tries again to start what a missing ConfigMap or Secret held back. */
const PROBLEM_RETRY_MS = 10_000;

interface StartProblems {
  /** A volume that cannot be mounted: the whole pod waits. */
  mount?: string;
  /** Per container, the reference its environment cannot be built from (CreateContainerConfigError). */
  containers: Map<string, string>;
}

interface DataObject extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** Missing ConfigMaps, Secrets and keys that are not optional, worded as the kubelet reports them. */
function startProblems(registry: ResourceRegistry, pod: Pod): StartProblems {
  const namespace = pod.metadata.namespace ?? 'default';
  const find = (kind: 'ConfigMap' | 'Secret', name: string | undefined) => registry.forKind<DataObject>('', kind).find(namespace, name ?? '')?.object as DataObject | undefined;
  const missing = (kind: 'ConfigMap' | 'Secret', name: string | undefined) => `${kind === 'ConfigMap' ? 'configmap' : 'secret'} "${name}" not found`;
  const problems: StartProblems = { containers: new Map() };
  for (const volume of pod.spec?.volumes ?? []) {
    const sources = [volume as Record<string, unknown>, ...(((volume.projected as { sources?: Record<string, unknown>[] } | undefined)?.sources) ?? [])];
    for (const source of sources) {
      const cm = source.configMap as { name?: string; optional?: boolean } | undefined;
      const secret = source.secret as { name?: string; secretName?: string; optional?: boolean } | undefined;
      let problem: string | undefined;
      if (cm && !cm.optional && !find('ConfigMap', cm.name)) problem = missing('ConfigMap', cm.name);
      const secretName = secret?.secretName ?? secret?.name;
      if (secret && !secret.optional && !find('Secret', secretName)) problem = missing('Secret', secretName);
      if (problem && !problems.mount) problems.mount = `MountVolume.SetUp failed for volume "${volume.name}" : ${problem}`;
    }
  }
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    let problem: string | undefined;
    for (const from of c.envFrom ?? []) {
      const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
      const ref = from.configMapRef ?? from.secretRef;
      if (ref && !ref.optional && !find(kind, ref.name)) problem ??= missing(kind, ref.name);
    }
    for (const variable of c.env ?? []) {
      const ref = variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef;
      if (!ref || ref.optional) continue;
      const kind = variable.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const obj = find(kind, ref.name);
      if (!obj) problem ??= missing(kind, ref.name);
      else if (!((ref.key ?? '') in (obj.data ?? {})) && !((ref.key ?? '') in (obj.binaryData ?? {}))) problem ??= `couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`;
    }
    if (problem) problems.containers.set(c.name ?? '', problem);
  }
  return problems;
}

/** From acceptance to a started sandbox and pulled images. */
export const POD_STARTUP_MS = 500;
/** An init container whose command cannot be read is taken to finish after this long, successfully. */
const INIT_DEFAULT_SECONDS = 1;
const MAX_BACKOFF_SECONDS = 300;
const CONDITION_ORDER = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

interface PendingEvent {
  type: EventType;
  reason: string;
  message: string;
  fieldPath?: string;
}

/** time.Duration's String() for the whole milliseconds the simulation uses ("500ms", "1.5s"). */
function goDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}

function internalIP(node: Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

function backoffSeconds(restartCount: number): number {
  return Math.min(10 * 2 ** Math.max(0, restartCount - 1), MAX_BACKOFF_SECONDS);
}

function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function restarts(pod: Pod, exitCode: number): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

const ms = (timestamp: string | undefined) => (timestamp ? Date.parse(timestamp) : 0);

/** One kubelet pass over a pod's status, collecting the events it reports and the next wake-up. */
class PodPass {
  readonly events: PendingEvent[] = [];
  /** Containers started in this pass. */
  readonly started: { id: string; container: Container }[] = [];
  nextWakeMs = Infinity;
  private readonly nowText: string;

  constructor(
    private readonly pod: Pod,
    private readonly status: PodStatus,
    private readonly now: number,
    private readonly pulledImages: Set<string>,
    /** A container's start to the millisecond, when the runtime knows it (startedAt keeps only the second). */
    private readonly preciseStart: (containerID: string | undefined) => number | undefined = () => undefined,
    /** What keeps the pod or its containers from starting: missing ConfigMaps and Secrets. */
    private readonly problems: StartProblems = { containers: new Map() },
    /** A process that ended from outside its program (a shell left through attach). */
    private readonly exitOf: (containerID: string | undefined) => { exitCode: number; at: number } | undefined = () => undefined,
  ) {
    this.nowText = formatTime(new Date(now));
  }

  private wakeAt(at: number): void {
    this.nextWakeMs = Math.min(this.nextWakeMs, Math.max(0, at - this.now));
  }

  private fieldPath(c: Container, init: boolean): string {
    return `spec.${init ? 'initContainers' : 'containers'}{${c.name}}`;
  }

  private pullEvents(c: Container, fieldPath: string): void {
    const image = c.image ?? '';
    const policy = c.imagePullPolicy ?? 'IfNotPresent';
    if (policy !== 'Always' && this.pulledImages.has(image)) {
      this.events.push({ type: 'Normal', reason: 'Pulled', message: `Container image "${image}" already present on machine`, fieldPath });
      return;
    }
    this.pulledImages.add(image);
    const took = goDuration(POD_STARTUP_MS);
    this.events.push({ type: 'Normal', reason: 'Pulling', message: `Pulling image "${image}"`, fieldPath });
    this.events.push({
      type: 'Normal',
      reason: 'Pulled',
      message: `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${imageSize(image)} bytes.`,
      fieldPath,
    });
  }

  /** Starts a container now: the running state, with the events a start reports. */
  private start(c: Container, cs: ContainerStatus, init: boolean, restarted: boolean): void {
    const fieldPath = this.fieldPath(c, init);
    if (restarted) this.events.push({ type: 'Normal', reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, fieldPath });
    else this.pullEvents(c, fieldPath);
    this.events.push({ type: 'Normal', reason: 'Created', message: `Created container: ${c.name}`, fieldPath });
    this.events.push({ type: 'Normal', reason: 'Started', message: `Started container ${c.name}`, fieldPath });
    cs.state = { running: { startedAt: this.nowText } };
    cs.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    this.started.push({ id: cs.containerID, container: c });
    cs.imageID = imageID(c.image ?? '');
    cs.started = true;
    cs.ready = false;
  }

  /**
   * Moves one container's state up to now. Returns whether it has finished for good (terminated
   * and not to be restarted).
   */
  private advance(c: Container, cs: ContainerStatus, init: boolean): boolean {
    for (let guard = 0; guard < 8; guard++) {
      const state = cs.state ?? {};
      if (state.running) {
        const startedAt = this.preciseStart(cs.containerID) ?? ms(state.running.startedAt);
        const ended = this.exitOf(cs.containerID);
        const program = ended
          ? { seconds: Math.max(0, ended.at - startedAt) / 1000, exitCode: ended.exitCode }
          : (containerProgram(c) ?? (init && !isSidecar(c) ? { seconds: INIT_DEFAULT_SECONDS, exitCode: 0 } : undefined));
        if (!init || isSidecar(c)) {
          const delay = (c.readinessProbe?.initialDelaySeconds ?? 0) * 1000;
          if (this.now >= startedAt + delay) cs.ready = true;
          else this.wakeAt(startedAt + delay);
        }
        if (!program) return false;
        const endsAt = startedAt + program.seconds * 1000;
        if (this.now < endsAt) {
          this.wakeAt(endsAt);
          return false;
        }
        cs.state = {
          terminated: {
            exitCode: program.exitCode,
            reason: program.exitCode === 0 ? 'Completed' : 'Error',
            startedAt: state.running.startedAt,
            finishedAt: formatTime(new Date(endsAt)),
            containerID: cs.containerID,
          },
        };
        cs.ready = false;
        cs.started = false;
        continue;
      }
      if (state.terminated) {
        const exitCode = state.terminated.exitCode ?? 0;
        // Init containers that succeeded are done; everything else follows the restart policy.
        if ((init && !isSidecar(c) && exitCode === 0) || !(isSidecar(c) || restarts(this.pod, exitCode))) return true;
        cs.lastState = { terminated: state.terminated };
        const count = cs.restartCount ?? 0;
        if (count === 0) {
          cs.restartCount = 1;
          this.start(c, cs, init, true);
          continue;
        }
        const due = ms(state.terminated.finishedAt) + backoffSeconds(count) * 1000;
        cs.state = { waiting: { reason: 'CrashLoopBackOff', message: this.backoffMessage(c, count) } };
        this.events.push({ type: 'Warning', reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${this.podRef()}`, fieldPath: this.fieldPath(c, init) });
        if (this.now < due) {
          this.wakeAt(due);
          return false;
        }
        continue;
      }
      if (state.waiting?.reason === 'CrashLoopBackOff') {
        const count = cs.restartCount ?? 0;
        const due = ms(cs.lastState?.terminated?.finishedAt) + backoffSeconds(count) * 1000;
        if (this.now < due) {
          this.wakeAt(due);
          return false;
        }
        cs.restartCount = count + 1;
        this.start(c, cs, init, true);
        continue;
      }
      // Waiting to be created (ContainerCreating / PodInitializing): the caller decides when.
      const problem = this.problems.containers.get(c.name ?? '');
      if (problem) {
        cs.state = { waiting: { reason: 'CreateContainerConfigError', message: problem } };
        this.events.push({ type: 'Warning', reason: 'Failed', message: `Error: ${problem}`, fieldPath: this.fieldPath(c, init) });
        this.wakeAt(this.now + PROBLEM_RETRY_MS);
        return false;
      }
      this.start(c, cs, init, false);
    }
    return false;
  }

  private podRef(): string {
    return `${this.pod.metadata.name}_${this.pod.metadata.namespace}(${this.pod.metadata.uid})`;
  }

  private backoffMessage(c: Container, count: number): string {
    return `back-off ${backoffSeconds(count)}s restarting failed container=${c.name} pod=${this.podRef()}`;
  }

  /** Init containers in order, then the containers; the pod's phase and conditions follow from them. */
  run(startAt: number): void {
    const spec = this.pod.spec ?? {};
    const status = this.status;
    const inits = spec.initContainers ?? [];
    const containers = spec.containers ?? [];
    if (inits.length) status.initContainerStatuses ??= inits.map((c) => waitingStatus(c, 'PodInitializing'));
    const initStatuses = status.initContainerStatuses ?? [];
    const statuses = (status.containerStatuses ??= containers.map((c) => waitingStatus(c, inits.length ? 'PodInitializing' : 'ContainerCreating')));
    if (this.now < startAt || this.problems.mount) {
      // Volumes are mounted before the sandbox starts: a missing one holds the pod here.
      if (this.problems.mount) {
        this.events.push({ type: 'Warning', reason: 'FailedMount', message: this.problems.mount });
        this.wakeAt(Math.max(startAt, this.now + PROBLEM_RETRY_MS));
      } else this.wakeAt(startAt);
      status.phase = 'Pending';
      this.setConditions(inits.length === 0, false);
      return;
    }
    let initialized = true;
    for (let i = 0; i < inits.length && initialized; i++) {
      const done = this.advance(inits[i], initStatuses[i], true);
      const sidecarStarted = isSidecar(inits[i]) && initStatuses[i].started;
      if (!done && !sidecarStarted) initialized = false;
      const failed = done && (initStatuses[i].state?.terminated?.exitCode ?? 0) !== 0;
      if (failed) {
        status.phase = 'Failed';
        initialized = false;
        break;
      }
    }
    const finished = containers.map((c, i) => (initialized ? this.advance(c, statuses[i], false) : false));
    if (status.phase !== 'Failed') {
      if (initialized && finished.length && finished.every(Boolean)) {
        status.phase = statuses.every((cs) => (cs.state?.terminated?.exitCode ?? 0) === 0) ? 'Succeeded' : 'Failed';
      } else if (initialized && statuses.some((cs) => cs.state?.running || cs.state?.terminated || (cs.restartCount ?? 0) > 0)) status.phase = 'Running';
      else status.phase = 'Pending';
    }
    this.setConditions(initialized, true);
  }

  private setConditions(initialized: boolean, sandboxReady: boolean): void {
    const status = this.status;
    const now = new Date(this.now);
    const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
    const names = (list: ContainerStatus[] | undefined, pick: (cs: ContainerStatus) => boolean) => (list ?? []).filter(pick).map((cs) => cs.name);
    const unready = names(status.containerStatuses, (cs) => !cs.ready);
    const incomplete = names(status.initContainerStatuses, (cs) => !(cs.state?.terminated?.exitCode === 0 || cs.started));
    const set = (condition: PodCondition) => setPodCondition(this.pod, condition, now);
    set({ type: 'PodReadyToStartContainers', status: sandboxReady && !terminal ? 'True' : 'False' });
    set(initialized || terminal ? { type: 'Initialized', status: 'True' } : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` });
    const ready: PodCondition = terminal
      ? { type: 'Ready', status: 'False', reason: 'PodCompleted' }
      : unready.length
        ? { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` }
        : { type: 'Ready', status: 'True' };
    set(ready);
    set({ ...ready, type: 'ContainersReady' });
    status.conditions = [...(status.conditions ?? [])].sort((a, b) => CONDITION_ORDER.indexOf(a.type ?? '') - CONDITION_ORDER.indexOf(b.type ?? ''));
  }
}

function waitingStatus(c: Container, reason: string): ContainerStatus {
  return { name: c.name, state: { waiting: { reason } }, lastState: {}, ready: false, restartCount: 0, started: false, image: fullImageName(c.image ?? ''), imageID: '' };
}

export function kubelet(registry: ResourceRegistry, clock: Clock, runtime: ContainerRuntime): Reconciler {
  const pods = registry.forKind<Pod>('', 'Pod');
  const nodes = registry.forKind<Node>('', 'Node');
  const recorders = new Map<string, EventRecorder>();
  const pulledImages = new Map<string, Set<string>>();
  // When each pod was accepted, to the millisecond (startTime keeps only the second).
  const acceptedAt = new Map<string, { uid: string; at: number }>();
  const recorder = (nodeName: string) => {
    let found = recorders.get(nodeName);
    if (!found) recorders.set(nodeName, (found = new EventRecorder(registry, clock, { component: 'kubelet', host: nodeName })));
    return found;
  };

  /** The lowest free address of the node's pod CIDR, after the gateway's. */
  async function allocatePodIP(node: Node, pod: Pod): Promise<string | undefined> {
    const cidr = node.spec?.podCIDR;
    if (!cidr) return undefined;
    const { network, size } = parseCidr(cidr);
    const taken = new Set<string>();
    for (const { object } of (await pods.list(undefined, defaultListOptions())).items) {
      const other = object as Pod;
      if (other.spec?.nodeName === node.metadata.name && other.metadata.uid !== pod.metadata.uid && other.status?.podIP) taken.add(other.status.podIP);
    }
    for (let offset = 2; offset < size - 1; offset++) {
      const ip = numberToIpv4(network + offset);
      if (!taken.has(ip)) return ip;
    }
    return undefined;
  }

  async function writeStatus(pod: Pod, status: PodStatus): Promise<void> {
    await pods.guaranteedUpdate(
      pod.metadata.namespace,
      pod.metadata.name!,
      (current) => {
        if (current.metadata.uid !== pod.metadata.uid) throw StatusError.conflict({ group: '', resource: 'pods' }, pod.metadata.name!, 'the pod was replaced');
        current.status = status;
        return current;
      },
      { fieldManager: 'kubelet' },
      'status',
    );
  }

  async function report(pod: Pod, nodeName: string, events: PendingEvent[]): Promise<void> {
    for (const e of events) await recorder(nodeName).record(pod, e.type, e.reason, e.message, e.fieldPath);
  }

  /** Graceful deletion: stop what runs, then remove the pod with no grace left. */
  async function stop(pod: Pod, nodeName: string): Promise<void> {
    const status = structuredClone(pod.status ?? {});
    const events: PendingEvent[] = [];
    const now = formatTime(clock.now());
    for (const [list, init] of [[status.containerStatuses, false], [status.initContainerStatuses, true]] as const) {
      for (const cs of list ?? []) {
        if (!cs.state?.running) continue;
        events.push({ type: 'Normal', reason: 'Killing', message: `Stopping container ${cs.name}`, fieldPath: `spec.${init ? 'initContainers' : 'containers'}{${cs.name}}` });
        cs.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: cs.state.running.startedAt, finishedAt: now, containerID: cs.containerID } };
        cs.ready = false;
        cs.started = false;
      }
    }
    if (events.length) {
      setPodCondition(pod, { type: 'Ready', status: 'False', reason: 'PodCompleted' }, clock.now());
      setPodCondition(pod, { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }, clock.now());
      status.conditions = pod.status?.conditions;
      await report(pod, nodeName, events);
      await writeStatus(pod, status);
    }
    await pods.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
  }

  return {
    name: 'kubelet',
    sources: [(enqueue) => runtime.subscribe(enqueue)],
    watches: [
      { group: '', kind: 'Pod', keysFor: (pod) => ((pod as Pod).spec?.nodeName ? [objectKey(pod)] : []) },
      // A kubelet that starts again catches up with every pod of its node.
      { group: '', kind: 'Node', keysFor: (node) => [...pods.cachedObjects()].filter((p) => p.spec?.nodeName === node.metadata.name).map((p) => objectKey(p)) },
    ],
    async reconcile(key) {
      const { namespace, name } = splitKey(key);
      const found = pods.find(namespace, name)?.object as Pod | undefined;
      const nodeName = found?.spec?.nodeName;
      if (!found || !nodeName) {
        acceptedAt.delete(key);
        runtime.forgetPod(key);
        return;
      }
      const node = nodes.find(undefined, nodeName)?.object as Node | undefined;
      if (!node || isKubeletStopped(node)) return;
      const pod = structuredClone(found);
      const uid = pod.metadata.uid!;
      try {
        const status = (pod.status ??= {});
        if (pod.metadata.deletionTimestamp || status.phase === 'Succeeded' || status.phase === 'Failed') acceptedAt.delete(key);
        if (pod.metadata.deletionTimestamp) return await stop(pod, nodeName);
        if (status.phase === 'Succeeded' || status.phase === 'Failed') return;
        const now = clock.now().getTime();
        if (!status.startTime) {
          acceptedAt.set(key, { uid, at: now });
          // Accepted: the pod is on this node and its sandbox is being made.
          const hostIP = internalIP(node);
          if (hostIP) {
            status.hostIP = hostIP;
            status.hostIPs = [{ ip: hostIP }];
          }
          status.startTime = formatTime(new Date(now));
        }
        const accepted = acceptedAt.get(key);
        const startAt = (accepted?.uid === uid ? accepted.at : ms(status.startTime)) + POD_STARTUP_MS;
        const problems = startProblems(registry, pod);
        if (!status.podIP && now >= startAt && !problems.mount) {
          const ip = pod.spec?.hostNetwork ? internalIP(node) : await allocatePodIP(node, pod);
          if (ip) {
            status.podIP = ip;
            status.podIPs = [{ ip }];
          }
        }
        const images = pulledImages.get(nodeName) ?? new Set<string>();
        pulledImages.set(nodeName, images);
        const pass = new PodPass(pod, status, now, images, (id) => runtime.get(id)?.startedAt, problems, (id) => runtime.get(id)?.exit);
        pass.run(startAt);
        if (pass.started.length) {
          const serviceUids = new Set<string>();
          for (const svc of registry.forKind('', 'Service').cachedObjects(namespace)) serviceUids.add(svc.metadata.uid!);
          const master = registry.forKind('', 'Service').find('default', 'kubernetes')?.object;
          if (master) serviceUids.add(master.metadata.uid!);
          for (const { id, container } of pass.started) {
            const output = containerOutput(registry, clock, pod, container, { at: now, serviceUids });
            runtime.started(id, key, container.name ?? '', { startedAt: now, serviceUids, output });
          }
        }
        if (JSON.stringify(status) !== JSON.stringify(found.status)) {
          await writeStatus(pod, status);
          await report(pod, nodeName, pass.events);
        }
        return Number.isFinite(pass.nextWakeMs) ? { requeueAfterMs: pass.nextWakeMs } : undefined;
      } catch (err) {
        // The pod went away or was replaced while this pass ran; its next event says what to do.
        if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return;
        throw err;
      }
    },
  };
}
