/**
 * Constant defaults the real API server fills in through Go defaulting functions
 * (k8s.io/kubernetes pkg/apis/<group>/<version>/defaults.go and the `+default=` markers in
 * k8s.io/api types), which the upstream OpenAPI v2 document does not carry.
 *
 * Only unconditional constants belong here: a value that depends on another field (imagePullPolicy
 * from the image tag, Service targetPort from port, a Deployment's rollingUpdate only for the
 * RollingUpdate strategy, Job completions only when parallelism is unset...) is the kind's own
 * `applyDefaults` hook. The generator fails when an entry names a definition or property the
 * schema lacks, so this file cannot silently rot when the reference spec moves.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A default on a field Go holds by value (not through a pointer): Go tests `== ""` / `== 0`, so an
 * explicit zero sent by a client is replaced too. Plain values are pointer fields, defaulted only when absent.
 */
export class ValueField {
  constructor(readonly value: JsonValue) {}
}
const v = (value: JsonValue): ValueField => new ValueField(value);

export type DefaultEntry = JsonValue | ValueField;

/**
 * definition → property → default. Applied wherever the type appears (containers of a Pod and of a
 * Deployment's template alike), exactly as a Go `SetDefaults_<Type>` runs for every value of that type.
 * An object default (`{}`) materialises a struct the Go type holds by value, so its own defaults apply.
 */
export const TYPE_DEFAULTS: Record<string, Record<string, DefaultEntry>> = {
  // core/v1
  'io.k8s.api.core.v1.Container': { terminationMessagePath: v('/dev/termination-log'), terminationMessagePolicy: v('File') },
  'io.k8s.api.core.v1.EphemeralContainer': { terminationMessagePath: v('/dev/termination-log'), terminationMessagePolicy: v('File') },
  'io.k8s.api.core.v1.ContainerPort': { protocol: v('TCP') },
  'io.k8s.api.core.v1.ServicePort': { protocol: v('TCP') },
  'io.k8s.api.core.v1.EndpointPort': { protocol: v('TCP') },
  'io.k8s.api.core.v1.ServiceSpec': { sessionAffinity: v('None'), type: v('ClusterIP') },
  'io.k8s.api.core.v1.PodSpec': {
    dnsPolicy: v('ClusterFirst'),
    restartPolicy: v('Always'),
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    schedulerName: v('default-scheduler'),
  },
  'io.k8s.api.core.v1.Probe': { timeoutSeconds: v(1), periodSeconds: v(10), successThreshold: v(1), failureThreshold: v(3) },
  'io.k8s.api.core.v1.HTTPGetAction': { path: v('/'), scheme: v('HTTP') },
  'io.k8s.api.core.v1.GRPCAction': { service: '' },
  // 0644: the mode Go spells as SecretVolumeSourceDefaultMode and friends.
  'io.k8s.api.core.v1.SecretVolumeSource': { defaultMode: 420 },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': { defaultMode: 420 },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': { defaultMode: 420 },
  'io.k8s.api.core.v1.ProjectedVolumeSource': { defaultMode: 420 },
  'io.k8s.api.core.v1.ServiceAccountTokenProjection': { expirationSeconds: 3600 },
  'io.k8s.api.core.v1.Secret': { type: v('Opaque') },
  'io.k8s.api.core.v1.PersistentVolumeSpec': { persistentVolumeReclaimPolicy: v('Retain'), volumeMode: 'Filesystem' },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': { volumeMode: 'Filesystem' },
  'io.k8s.api.core.v1.ObjectFieldSelector': { apiVersion: v('v1') },
  // HostPathUnset is the empty string, but the pointer is set, so `type: ""` shows on the wire.
  'io.k8s.api.core.v1.HostPathVolumeSource': { type: '' },
  'io.k8s.api.core.v1.FileKeySelector': { optional: false },
  'io.k8s.api.core.v1.RBDVolumeSource': { pool: v('rbd'), user: v('admin'), keyring: v('/etc/ceph/keyring') },
  'io.k8s.api.core.v1.RBDPersistentVolumeSource': { pool: v('rbd'), user: v('admin'), keyring: v('/etc/ceph/keyring') },
  'io.k8s.api.core.v1.ISCSIVolumeSource': { iscsiInterface: v('default') },
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource': { iscsiInterface: v('default') },
  'io.k8s.api.core.v1.AzureDiskVolumeSource': { cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' },
  'io.k8s.api.core.v1.ScaleIOVolumeSource': { storageMode: v('ThinProvisioned'), fsType: v('xfs') },
  'io.k8s.api.core.v1.ScaleIOPersistentVolumeSource': { storageMode: v('ThinProvisioned'), fsType: v('xfs') },
  'io.k8s.api.core.v1.ReplicationControllerSpec': { replicas: 1 },

  // apps/v1: strategy structs are held by value in Go, so they always exist and get their type.
  'io.k8s.api.apps.v1.DeploymentSpec': { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: {} },
  'io.k8s.api.apps.v1.DeploymentStrategy': { type: v('RollingUpdate') },
  'io.k8s.api.apps.v1.DaemonSetSpec': { revisionHistoryLimit: 10, updateStrategy: {} },
  'io.k8s.api.apps.v1.DaemonSetUpdateStrategy': { type: v('RollingUpdate') },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    podManagementPolicy: v('OrderedReady'),
    replicas: 1,
    revisionHistoryLimit: 10,
    updateStrategy: {},
    persistentVolumeClaimRetentionPolicy: {},
  },
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy': { type: v('RollingUpdate') },
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': { whenDeleted: v('Retain'), whenScaled: v('Retain') },
  'io.k8s.api.apps.v1.ReplicaSetSpec': { replicas: 1 },

  // batch/v1 (JobSpec defaults are the Job kind's own hook: SetDefaults_Job never reaches a CronJob's jobTemplate)
  'io.k8s.api.batch.v1.CronJobSpec': { concurrencyPolicy: v('Allow'), suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 },

  // autoscaling
  'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec': { minReplicas: 1 },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': { minReplicas: 1 },

  // networking, discovery, storage, scheduling, rbac
  'io.k8s.api.networking.v1.NetworkPolicyPort': { protocol: 'TCP' },
  'io.k8s.api.discovery.v1.EndpointPort': { name: '', protocol: 'TCP' },
  'io.k8s.api.storage.v1.StorageClass': { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
  'io.k8s.api.storage.v1.CSIDriverSpec': {
    attachRequired: true,
    podInfoOnMount: false,
    storageCapacity: false,
    requiresRepublish: false,
    fsGroupPolicy: 'ReadWriteOnceWithFSType',
    // Go tests len() == 0, so an empty list is replaced as well.
    volumeLifecycleModes: v(['Persistent']),
  },
  'io.k8s.api.scheduling.v1.PriorityClass': { preemptionPolicy: 'PreemptLowerPriority' },
  'io.k8s.api.rbac.v1.RoleRef': { apiGroup: v('rbac.authorization.k8s.io') },
};

/**
 * root definition → dotted path → default, for values Go sets in `SetDefaults_<Kind>` only, not
 * for the nested type wherever it appears: `enableServiceLinks` materialises on Pods but never in a
 * Deployment's pod template. Missing parents along the path are created (they are value structs in Go).
 */
export const KIND_DEFAULTS: Record<string, Record<string, DefaultEntry>> = {
  'io.k8s.api.core.v1.Pod': { 'spec.enableServiceLinks': true },
  'io.k8s.api.core.v1.Namespace': { 'status.phase': v('Active') },
  'io.k8s.api.core.v1.PersistentVolume': { 'status.phase': v('Pending') },
  'io.k8s.api.core.v1.PersistentVolumeClaim': { 'status.phase': v('Pending') },
};

/**
 * Our own one-line descriptions for the kinds and the fields people look up most (`kubectl explain`
 * prints them). Upstream description texts are not ours to ship, so everything else stays blank.
 * Keys: a definition name, or `<definition>.<property>`.
 */
export const DESCRIPTIONS: Record<string, string> = {
  'io.k8s.api.core.v1.Pod': 'A group of containers scheduled together onto one node, sharing network and storage.',
  'io.k8s.api.core.v1.Pod.spec': 'Desired state of the pod: its containers, volumes and scheduling constraints.',
  'io.k8s.api.core.v1.Pod.status': 'Observed state of the pod, written by the system. Read-only for clients.',
  'io.k8s.api.core.v1.PodSpec.containers': 'The containers of the pod. At least one is required; the list cannot change after creation.',
  'io.k8s.api.core.v1.PodSpec.restartPolicy': 'When containers are restarted: Always (default), OnFailure or Never.',
  'io.k8s.api.core.v1.PodSpec.nodeName': 'The node the pod is bound to. Set by the scheduler unless given at creation.',
  'io.k8s.api.core.v1.PodSpec.nodeSelector': 'Labels a node must carry for the pod to be scheduled onto it.',
  'io.k8s.api.core.v1.Container.name': 'Name of the container, unique within the pod (a DNS label).',
  'io.k8s.api.core.v1.Container.image': 'Container image reference, e.g. nginx:1.27.',
  'io.k8s.api.core.v1.Container.ports': 'Ports the container exposes. Informational; a port not listed can still be reached.',
  'io.k8s.api.core.v1.Container.env': 'Environment variables set in the container.',
  'io.k8s.api.core.v1.Container.resources': 'Compute resources (cpu, memory) the container requests and is limited to.',
  'io.k8s.api.core.v1.Namespace': 'A scope for names: most objects live in exactly one namespace.',
  'io.k8s.api.core.v1.Node': 'A machine (simulated here) that runs pods.',
  'io.k8s.api.core.v1.ConfigMap': 'Non-secret configuration data as key/value pairs, consumable by pods as files or environment.',
  'io.k8s.api.core.v1.ConfigMap.data': 'UTF-8 configuration values by key.',
  'io.k8s.api.core.v1.ConfigMap.binaryData': 'Binary configuration values by key, base64-encoded on the wire.',
  'io.k8s.api.core.v1.Secret': 'Sensitive data (passwords, tokens, keys) as key/value pairs.',
  'io.k8s.api.core.v1.Secret.data': 'Secret values by key, base64-encoded on the wire.',
  'io.k8s.api.core.v1.Secret.stringData': 'Write-only convenience: plain-text values merged into data on write.',
  'io.k8s.api.core.v1.Secret.type': 'How the secret is used, e.g. Opaque (default) or kubernetes.io/tls.',
  'io.k8s.api.core.v1.Event': 'A report of something that happened to an object, shown by kubectl describe.',
  'io.k8s.api.core.v1.ServiceAccount': 'An identity for processes running in pods.',
  'io.k8s.api.core.v1.Service': 'A stable virtual IP and DNS name load-balancing over the pods its selector matches.',
  'io.k8s.api.core.v1.ServiceSpec.selector': 'Pods with all of these labels receive the service traffic.',
  'io.k8s.api.core.v1.ServiceSpec.ports': 'The ports the service exposes.',
  'io.k8s.api.core.v1.ServiceSpec.type': 'ClusterIP (default), NodePort, LoadBalancer or ExternalName.',
  'io.k8s.api.coordination.v1.Lease': 'A lease held by one holder at a time, used for leader election and node heartbeats.',
  'io.k8s.api.apps.v1.Deployment': 'Declarative updates for pods through ReplicaSets, with rollout and rollback.',
  'io.k8s.api.apps.v1.ReplicaSet': 'Keeps a given number of pod replicas running.',
  'io.k8s.api.apps.v1.StatefulSet': 'Pods with stable names and storage, started and stopped in order.',
  'io.k8s.api.apps.v1.DaemonSet': 'Runs one pod on every (matching) node.',
  'io.k8s.api.batch.v1.Job': 'Runs pods until a number of them complete successfully.',
  'io.k8s.api.batch.v1.CronJob': 'Creates Jobs on a schedule.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': 'Metadata every persisted object has: name, namespace, labels, annotations and system fields.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.name': 'Name, unique within the namespace (or the cluster for cluster-scoped kinds).',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.namespace': 'The namespace the object lives in. Empty for cluster-scoped kinds.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.labels': 'Key/value pairs used to select and group objects.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta.annotations': 'Key/value pairs for tools; not used for selection.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector.matchLabels': 'Labels an object must all carry to match.',
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector.matchExpressions': 'Set-based requirements (In, NotIn, Exists, DoesNotExist), ANDed with matchLabels.',
};

/** Descriptions shared by the type-meta and object-meta fields of every kind. */
export const COMMON_FIELD_DESCRIPTIONS: Record<string, string> = {
  apiVersion: 'The versioned schema of this object, e.g. v1 or apps/v1.',
  kind: 'The type of this object, in CamelCase, e.g. Pod.',
  metadata: 'Standard object metadata.',
};

/**
 * The closed value sets the API declares with +enum markers (facts of the Kubernetes API; the
 * reference spec only lists them in prose). They reach the OpenAPI documents for `kubectl explain`;
 * decoding does not enforce them — each kind's validation reports unsupported values, as upstream.
 */
export const ENUMS: Record<string, readonly string[]> = {
  'io.k8s.api.core.v1.Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'io.k8s.api.core.v1.EphemeralContainer.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'io.k8s.api.core.v1.Container.terminationMessagePolicy': ['FallbackToLogsOnError', 'File'],
  'io.k8s.api.core.v1.ContainerPort.protocol': ['SCTP', 'TCP', 'UDP'],
  'io.k8s.api.core.v1.PodSpec.restartPolicy': ['Always', 'Never', 'OnFailure'],
  'io.k8s.api.core.v1.PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'io.k8s.api.core.v1.PodSpec.preemptionPolicy': ['Never', 'PreemptLowerPriority'],
  'io.k8s.api.core.v1.PodStatus.phase': ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
  'io.k8s.api.core.v1.PodStatus.qosClass': ['BestEffort', 'Burstable', 'Guaranteed'],
  'io.k8s.api.core.v1.Toleration.effect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'io.k8s.api.core.v1.Toleration.operator': ['Equal', 'Exists'],
  'io.k8s.api.core.v1.Taint.effect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'io.k8s.api.core.v1.NamespaceStatus.phase': ['Active', 'Terminating'],
  'io.k8s.api.core.v1.NodeAddress.type': ['ExternalDNS', 'ExternalIP', 'Hostname', 'InternalDNS', 'InternalIP'],
  'io.k8s.api.core.v1.ServicePort.protocol': ['SCTP', 'TCP', 'UDP'],
  'io.k8s.api.core.v1.ServiceSpec.type': ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  'io.k8s.api.core.v1.ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'io.k8s.api.core.v1.HTTPGetAction.scheme': ['HTTP', 'HTTPS'],
  'io.k8s.api.core.v1.PersistentVolumeSpec.persistentVolumeReclaimPolicy': ['Delete', 'Recycle', 'Retain'],
  'io.k8s.api.core.v1.PersistentVolumeStatus.phase': ['Available', 'Bound', 'Failed', 'Pending', 'Released'],
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus.phase': ['Bound', 'Lost', 'Pending'],
  'io.k8s.api.apps.v1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
};
