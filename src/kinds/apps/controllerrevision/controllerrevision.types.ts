/** The wire shape of apps/v1 ControllerRevision: an immutable snapshot of a workload's template. */
import type { KubeObject } from '../../../machinery/meta/types';

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision?: number;
}
