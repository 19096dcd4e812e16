/** The pod printer of pkg/printers/internalversion (printPod), cell for cell. */
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE, parseTimestamp, timestampSince } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import type { Container, ContainerStatus, Pod, PodCondition } from './pod.types';

const conditionTrue = (conditions: PodCondition[] | undefined, type: string) => (conditions ?? []).some((c) => c.type === type && c.status === 'True');
const isSidecar = (c: Container | undefined) => c?.restartPolicy === 'Always';
const isTerminal = (phase: string | undefined) => phase === 'Succeeded' || phase === 'Failed';

/** READY, STATUS and RESTARTS as printPod computes them. */
export function podSummary(pod: Pod, now: Date): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  const total = (spec.containers ?? []).length + (spec.initContainers ?? []).filter(isSidecar).length;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  let reason = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const finishedAt = (s: ContainerStatus) => parseTimestamp(s.lastState?.terminated?.finishedAt) ?? 0;
  let initializing = false;
  const inits = status.initContainerStatuses ?? [];
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    restarts += c.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finishedAt(c));
    const sidecar = isSidecar(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(c));
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      if (!terminated.reason) reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      else reason = `Init:${terminated.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const containers = status.containerStatuses ?? [];
    for (let i = containers.length - 1; i >= 0; i--) {
      const c = containers[i];
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(c));
      const { waiting, terminated, running } = c.state ?? {};
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (c.ready && running) {
        hasRunning = true;
        ready++;
      }
    }
    // A completed container next to a running one still leaves the pod running.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isTerminal(status.phase)) reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart > 0 ? `${restarts} (${timestampSince(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText };
}

/** The pod's primary IP: status.podIP, or the first of status.podIPs. */
export function primaryPodIP(pod: Pod): string {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || '';
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return NONE;
  const conditions = pod.status?.conditions ?? [];
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${passed}/${gates.length}`;
}

export const podTable: TableDeclaration<Pod> = {
  columns: [
    NAME_COLUMN,
    { name: 'Ready', type: 'string', description: 'The aggregate readiness state of this pod for accepting traffic.' },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.' },
    { name: 'Restarts', type: 'string', description: 'How often the containers restarted, and how long ago the last one did.' },
    AGE_COLUMN,
    { name: 'IP', type: 'string', priority: 1, description: 'The primary IP address of the pod.' },
    { name: 'Node', type: 'string', priority: 1, description: 'The node the pod is bound to.' },
    { name: 'Nominated Node', type: 'string', priority: 1, description: 'The node preemption nominated for the pod.' },
    { name: 'Readiness Gates', type: 'string', priority: 1, description: 'Readiness gates passed out of those declared.' },
  ],
  cells(pod, now) {
    const { ready, status, restarts } = podSummary(pod, now);
    return [
      pod.metadata.name,
      ready,
      status,
      restarts,
      ageCell(pod.metadata.creationTimestamp, now),
      primaryPodIP(pod) || NONE,
      pod.spec?.nodeName || NONE,
      pod.status?.nominatedNodeName || NONE,
      readinessGates(pod),
    ];
  },
};
