/**
 * What the simulated container runtime remembers of each running container beyond the pod status:
 * the Services whose variables were injected when it started (a kubelet computes service links
 * once, at start) and the exact start time. Kept in memory, like a runtime's state; after a
 * restart of kubemu, exec falls back to comparing creation times.
 */
export interface StartedContainer {
  startedAt: number;
  /** uids of the Services in its namespace (and the API server's) when it started. */
  serviceUids: Set<string>;
}

export class ContainerRuntime {
  private readonly containers = new Map<string, StartedContainer>();

  started(containerID: string, record: StartedContainer): void {
    this.containers.set(containerID, record);
  }

  get(containerID: string | undefined): StartedContainer | undefined {
    return containerID ? this.containers.get(containerID) : undefined;
  }

  forget(containerIDs: Iterable<string | undefined>): void {
    for (const id of containerIDs) if (id) this.containers.delete(id);
  }
}
