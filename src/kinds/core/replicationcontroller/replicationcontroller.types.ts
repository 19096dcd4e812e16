/** The wire shape of core/v1 ReplicationController, as far as the strategy, printer and reconciler read it. */
import type { KubeObject } from '../../../machinery/meta/types';
import type { PodTemplateSpec } from '../../apps/pod-template';
import type { ReplicaSetStatus } from '../../apps/replicaset/replicaset.types';

export interface ReplicationControllerSpec {
  replicas?: number;
  minReadySeconds?: number;
  /** A plain label map, unlike the LabelSelector of ReplicaSets. */
  selector?: Record<string, string>;
  template?: PodTemplateSpec;
}

export interface ReplicationController extends KubeObject {
  spec?: ReplicationControllerSpec;
  /** The same counters as a ReplicaSet's. */
  status?: ReplicaSetStatus;
}
