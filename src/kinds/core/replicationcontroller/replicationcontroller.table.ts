/** printReplicationController: the same columns as a ReplicaSet's; the selector is a plain label map. */
import { replicaCountTable } from '../../apps/pod-template';
import type { ReplicationController } from './replicationcontroller.types';

export const replicationControllerTable = replicaCountTable<ReplicationController>((rc) => (rc.spec?.selector ? { matchLabels: rc.spec.selector } : undefined));
