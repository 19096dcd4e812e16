/**
 * GET pods/{name}/log: a container's output as text, as the kubelet serves it through the API
 * server — `container`, `previous`, `timestamps`, `tailLines`, `sinceSeconds`, `sinceTime`,
 * `limitBytes`, and `follow`, which keeps the response open until the container stops.
 */
import type { FastifyReply } from 'fastify';
import { FieldError, StatusError } from '../machinery/errors/status-error';
import type { Container, ContainerStatus, Pod } from '../kinds/core/pod/pod.types';
import type { GenericStore } from '../registry/generic-store';
import type { Clock } from '../simulation/clock';
import type { ContainerRuntime, StartedContainer } from '../simulation/container-runtime';
import { queryBool, queryInt, queryValue, type Query } from './query';

/** How often a followed log looks for new output, in real time. */
const FOLLOW_POLL_MS = 100;

export interface ConnectRequest {
  reply: FastifyReply;
  store: GenericStore;
  namespace: string | undefined;
  name: string;
  query: Query;
}

interface LogLine {
  at: number;
  text: string;
}

function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** The container the request names, with the same defaults and refusals as the API server. */
function pickContainer(pod: Pod, requested: string | undefined): Container {
  const containers = pod.spec?.containers ?? [];
  const inits = pod.spec?.initContainers ?? [];
  const name = pod.metadata.name;
  if (!requested) {
    if (containers.length === 1) return containers[0];
    const defaulted = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    const found = containers.find((c) => c.name === defaulted);
    if (found) return found;
    const initText = inits.length ? ` or one of the init containers: [${inits.map((c) => c.name).join(' ')}]` : '';
    throw StatusError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]${initText}`);
  }
  const found = [...containers, ...inits, ...(pod.spec?.ephemeralContainers ?? [])].find((c) => c.name === requested);
  if (!found) throw StatusError.badRequest(`container ${requested} is not valid for pod ${name}`);
  return found;
}

export class PodLogs {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly clock: Clock,
  ) {}

  /** The run a request reads, or undefined when the pod has not run on a node yet (an empty log). */
  private run(pod: Pod, container: Container, previous: boolean): { record: StartedContainer | undefined; status: ContainerStatus } | undefined {
    const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
    const status = statuses.find((s) => s.name === container.name);
    if (!pod.spec?.nodeName || !status) return undefined;
    const podName = pod.metadata.name;
    if (previous) {
      const id = status.lastState?.terminated?.containerID;
      if (!id) throw StatusError.badRequest(`previous terminated container "${container.name}" in pod "${podName}" not found`);
      return { record: this.runtime.get(id), status };
    }
    const waiting = status.state?.waiting;
    if (waiting) {
      // A container waiting to restart still shows its last run.
      if (waiting.reason === 'CrashLoopBackOff' && status.lastState?.terminated?.containerID) return { record: this.runtime.get(status.lastState.terminated.containerID), status };
      throw StatusError.badRequest(`container "${container.name}" in pod "${podName}" is waiting to start: ${waiting.reason ?? 'ContainerCreating'}`);
    }
    return { record: this.runtime.get(status.containerID), status };
  }

  private lines(record: StartedContainer | undefined, until: number): LogLine[] {
    if (!record) return [];
    const lines: LogLine[] = [];
    for (const chunk of record.output) {
      const at = record.startedAt + chunk.atMs;
      if (at > until) break;
      for (const text of chunk.text.split(/(?<=\n)/)) if (text) lines.push({ at, text });
    }
    return lines;
  }

  async serve({ reply, store, namespace, name, query }: ConnectRequest): Promise<void> {
    const pod = (store.find(namespace, name)?.object ?? undefined) as Pod | undefined;
    if (!pod) throw StatusError.notFound(store.groupResource, name);
    const container = pickContainer(pod, queryValue(query, 'container'));
    const previous = !!queryBool(query, 'previous');
    const timestamps = !!queryBool(query, 'timestamps');
    const tailLines = queryInt(query, 'tailLines');
    const limitBytes = queryInt(query, 'limitBytes');
    const sinceSeconds = queryInt(query, 'sinceSeconds');
    const sinceTime = queryValue(query, 'sinceTime');
    // ValidatePodLogOptions: the same rules and wording.
    const errors: FieldError[] = [];
    if (tailLines !== undefined && tailLines < 0) errors.push(FieldError.invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
    if (limitBytes !== undefined && limitBytes < 1) errors.push(FieldError.invalid('limitBytes', limitBytes, 'must be greater than 0'));
    if (sinceSeconds !== undefined && sinceTime !== undefined) errors.push(FieldError.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
    if (sinceSeconds !== undefined && sinceSeconds < 1) errors.push(FieldError.invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
    if (errors.length) throw StatusError.invalid('', 'PodLogOptions', '', errors);
    const run = this.run(pod, container, previous);
    const now = this.clock.now().getTime();
    const since = sinceSeconds !== undefined ? now - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : -Infinity;
    const render = (line: LogLine) => (timestamps ? `${rfc3339Nano(line.at)} ${line.text}` : line.text);
    // A container that has stopped has written everything it was going to.
    const until = run?.status.state?.running && !previous ? now : Infinity;
    let lines = this.lines(run?.record, until).filter((l) => l.at >= since);
    if (tailLines !== undefined) lines = tailLines === 0 ? [] : lines.slice(-tailLines);
    let text = lines.map(render).join('');
    if (limitBytes !== undefined) text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
    const follow = !!queryBool(query, 'follow') && !previous && !!run?.status.state?.running && limitBytes === undefined;
    if (!follow) {
      void reply.code(200).header('Content-Type', 'text/plain').send(text);
      return;
    }
    // Following: stream what comes later, until the container stops or the client goes.
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' });
    if (text) raw.write(text);
    let shown = this.lines(run?.record, now).length;
    const containerID = run?.status.containerID;
    const timer = setInterval(() => {
      const current = store.find(namespace, name)?.object as Pod | undefined;
      const status = current?.status?.containerStatuses?.find((s) => s.name === container.name) ?? current?.status?.initContainerStatuses?.find((s) => s.name === container.name);
      const stillRunning = !!status?.state?.running && status.containerID === containerID;
      const fresh = this.lines(run?.record, stillRunning ? this.clock.now().getTime() : Infinity);
      for (const line of fresh.slice(shown)) raw.write(render(line));
      shown = fresh.length;
      if (!current || current.metadata.uid !== pod.metadata.uid || !stillRunning) {
        clearInterval(timer);
        raw.end();
      }
    }, FOLLOW_POLL_MS);
    raw.on('close', () => clearInterval(timer));
  }
}
