/**
 * What the simulated container runtime remembers of each container beyond the pod status: the
 * Services whose variables were injected when it started (a kubelet computes service links once,
 * at start), the exact start time and its log. A container's record lives as long as its pod, and
 * only the current and the previous run of each container are kept, as a runtime keeps them for
 * `kubectl logs --previous`. Kept in memory: after a restart of kubemu, exec falls back to
 * comparing creation times and logs start empty.
 */
import type { OutputChunk } from './shell/shell';

export interface StartedContainer {
  startedAt: number;
  /** uids of the Services in its namespace (and the API server's) when it started. */
  serviceUids: Set<string>;
  /** What it writes to its log, by offset from its start. */
  output: OutputChunk[];
  /** Set when its main process ended from outside the program (a shell exited through attach). */
  exit?: { exitCode: number; at: number };
}

interface Record extends StartedContainer {
  podKey: string;
  name: string;
}

export class ContainerRuntime {
  private readonly containers = new Map<string, Record>();
  private readonly listeners = new Set<(podKey: string) => void>();

  /** Tells `listener` the pod key of every container whose process ended from outside. */
  subscribe(listener: (podKey: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The container's main process ended (e.g. `exit` typed into an attached shell). */
  exited(containerID: string | undefined, exitCode: number, at: number): void {
    const record = containerID ? this.containers.get(containerID) : undefined;
    if (!record || record.exit) return;
    record.exit = { exitCode, at };
    for (const listener of this.listeners) listener(record.podKey);
  }

  started(containerID: string, podKey: string, name: string, record: StartedContainer): void {
    const runs = [...this.containers].filter(([, r]) => r.podKey === podKey && r.name === name);
    // Keep the run before this one; older ones are gone, as on a real node.
    for (const [id] of runs.slice(0, -1)) this.containers.delete(id);
    this.containers.set(containerID, { ...record, podKey, name });
  }

  get(containerID: string | undefined): StartedContainer | undefined {
    return containerID ? this.containers.get(containerID) : undefined;
  }

  /** The pod is gone: so are its containers. */
  forgetPod(podKey: string): void {
    for (const [id, r] of this.containers) if (r.podKey === podKey) this.containers.delete(id);
  }
}
