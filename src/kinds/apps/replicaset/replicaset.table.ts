/** printReplicaSet: the columns `kubectl get replicasets` shows. */
import { replicaCountTable } from '../pod-template';
import type { ReplicaSet } from './replicaset.types';

export const replicaSetTable = replicaCountTable<ReplicaSet>((rs) => rs.spec?.selector);
