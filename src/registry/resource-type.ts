import type { FieldError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import type { MetaRules } from '../machinery/validation/object-meta';
import type { GenericStore } from './generic-store';
import type { ScaleDeclaration } from './scale';

/** A Table column as meta.k8s.io/v1 TableColumnDefinition describes it. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0 = always shown; >0 = only with `-o wide`. */
  priority?: number;
}

export interface TableDeclaration<T extends KubeObject> {
  /** Every column in the real server's order, NAME included where it shows one (see machinery/table). */
  columns: TableColumn[];
  /** One cell per column in `columns`, in order. `now` comes from the server clock so ages are consistent. */
  cells(obj: T, now: Date): unknown[];
}

/**
 * What a built-in kind declares; the generic store, REST transport, discovery, OpenAPI and tables do
 * the rest. The hooks mirror the apiserver's RESTCreateStrategy/RESTUpdateStrategy and run in the
 * same order (see registry/generic-store.ts).
 */
export interface ResourceType<T extends KubeObject = KubeObject> {
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural, the URL segment ("pods"). */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** A deprecated kind: every request for it is answered with this `Warning` (as v1 Endpoints is since 1.33). */
  deprecationWarning?: string;
  /** The verbs served, when not all of DEFAULT_VERBS (namespaces have no deletecollection). */
  verbs?: readonly string[];
  /** The schema definition that describes the kind, e.g. "io.k8s.api.core.v1.Pod". */
  definition: string;
  /** ObjectMeta rules that differ from the default (DNS-1123 subdomain names, core finalizer names). */
  metaRules?: MetaRules;
  /**
   * Serve this kind as another version of an already registered kind that owns the storage (e.g.
   * events.k8s.io/v1 Event over core/v1 Event): objects are stored in that kind's form, so a watch
   * in either version sees writes made through the other.
   */
  storedAs?: StorageConversion<T>;
  /**
   * Objects computed on read by the source registered under this name (resource metrics from the
   * simulation) instead of stored; such kinds serve get and list only.
   */
  computedBy?: string;
  /**
   * A create-only review resource (SelfSubjectAccessReview, SelfSubjectReview...): the create is
   * validated like any other, then answered with this computed object and never stored.
   */
  review?(obj: T): T;
  /** Set metadata.generation to 1 on create and bump it when any of these top-level fields change. */
  generationFields?: string[];
  /**
   * DefaultGarbageCollectionPolicy: what a delete without a propagationPolicy does to dependents
   * (Background when unset; batch/v1 Jobs orphan their pods, for compatibility).
   */
  defaultPropagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  /** DELETE answers with the deleted object instead of a Success Status (pods do). */
  returnDeletedObject?: boolean;
  /** Serve a /status subresource: the main resource then ignores status changes and vice versa. */
  statusSubresource?: boolean;

  /** Serve a /scale subresource (autoscaling/v1 Scale) projected from these fields. */
  scale?: ScaleDeclaration;

  /**
   * Subresources besides status that write part of the object (e.g. namespaces/finalize): each
   * copies what it may change from the requested object onto the stored one. A `status` entry
   * replaces the default copy of status alone (deployments also take annotations through it).
   */
  subresourceWriters?: Record<string, (stored: T, requested: T) => void>;

  /**
   * Connect subresources (pods/log, pods/exec, pods/attach): served by a transport-side handler
   * rather than the store. The declaration gives discovery the options kind and the verbs.
   */
  connect?: Record<string, { kind: string; verbs: string[] }>;

  /** POST-only subresources computed from the object (e.g. serviceaccounts/token). */
  actions?: Record<string, SubresourceAction<T>>;

  /** Kind-specific defaults that the schema's own `default`s do not cover. Runs on create and update. */
  applyDefaults?(obj: T): void;
  /**
   * Mutating admission on create (the API server's admission plugins for this kind, e.g. a pod's
   * service account and default tolerations). Runs after defaulting, before prepareForCreate.
   */
  admit?(obj: T, context: AdmissionContext): void;
  /**
   * Validating admission on update of the main resource (e.g. PersistentVolumeClaimResize): runs
   * after update validation and refuses by throwing a StatusError (typically 403 Forbidden).
   */
  admitUpdate?(obj: T, old: T, context: AdmissionContext): void;
  /**
   * Allocators (BeginCreate/BeginUpdate of the apiserver's Service storage): hand out values that
   * must be unique across the kind's objects (cluster IPs, node ports) and check that requested
   * ones are free. Runs after defaulting and admission, before prepareForCreate/prepareForUpdate;
   * `old` is undefined on create. What is in use is read from the objects themselves, so nothing
   * needs releasing when an object goes away. Returned errors are answered 422 Invalid.
   */
  allocate?(obj: T, old: T | undefined, context: AllocationContext<T>): FieldError[];
  /** Clear or set fields the client may not control on create (e.g. status). */
  prepareForCreate?(obj: T): void;
  /** Same for updates; `old` is the stored object. */
  prepareForUpdate?(obj: T, old: T): void;
  validate?(obj: T): FieldError[];
  validateUpdate?(obj: T, old: T): FieldError[];
  /** Non-fatal remarks returned as `Warning` headers. */
  warnings?(obj: T): string[];
  /**
   * Graceful deletion (CheckGracefulDelete): the grace period, in seconds, that a delete asking for
   * `requestedSeconds` (undefined when the client named none) leaves the object. Above 0 the object
   * is only marked (deletionTimestamp in the future) and whoever runs it finishes the deletion;
   * 0 removes it at once. Kinds without this hook are always removed at once.
   */
  gracePeriodOnDelete?(obj: T, requestedSeconds: number | undefined): number;
  /**
   * Called on delete before the object is removed. Returning true keeps the object (already
   * changed in place, e.g. a namespace moved to Terminating); the object then goes away once its
   * blockers are cleared by an update.
   */
  beforeDelete?(obj: T): boolean;
  /** Whether an object that was kept by beforeDelete may now be removed. */
  readyToRemove?(obj: T): boolean;

  /** Field-selector values beyond metadata.name and metadata.namespace (e.g. "spec.nodeName"). */
  selectableFields?(obj: T): Record<string, string>;
  table?: TableDeclaration<T>;
}

/** Cluster-wide settings that strategies read, as the apiserver takes them from its flags. */
export interface ClusterSettings {
  /** --service-cluster-ip-range (IPv4 CIDR). */
  serviceClusterIPRange: string;
  /** --service-node-port-range, both ends included. */
  serviceNodePortRange: { min: number; max: number };
}

export interface AllocationContext<T extends KubeObject = KubeObject> {
  /** Every other object of this kind as it stands, writes still being committed included. */
  others(): Iterable<T>;
  settings: ClusterSettings;
}

/** What admission plugins may read besides the object (DefaultStorageClass reads the StorageClasses). */
export interface AdmissionContext {
  /** Every stored object of a resource ("storage.k8s.io", "storageclasses"), writes in flight included. */
  objectsOf(group: string, plural: string): Iterable<KubeObject>;
}

/** A create-only subresource whose request is another kind (TokenRequest, Binding). */
export interface SubresourceAction<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  definition: string;
  /** A computed answer about the parent, of the request's kind (serviceaccounts/token); nothing is written. */
  act?(parent: T, request: KubeObject, context: { dryRun: boolean; now: Date }): KubeObject;
  /**
   * Or a change to the parent (pods/binding), made on a private copy of the stored object and
   * written like a subresource update, answered with a Success Status. The kind's update
   * validation does not run: the change refuses what it does not allow itself, as the real
   * server's binding storage does.
   */
  change?(current: T, request: KubeObject, now: Date): void;
  /**
   * Or a procedure of its own, for what is neither an answer nor a change of the parent alone
   * (pods/eviction reads the disruption budgets, writes one, then deletes the pod): it works
   * through the stores like any other writer and answers with what it returns (a Status).
   */
  perform?(target: ActionTarget<T>, request: KubeObject, context: ActionContext): Promise<KubeObject>;
}

/** The object an action was posted to, and the store that keeps it. */
export interface ActionTarget<T extends KubeObject = KubeObject> {
  namespace: string | undefined;
  name: string;
  store: GenericStore<T>;
}

export interface ActionContext {
  dryRun: boolean;
  now: Date;
  /** The store of another kind, by group and kind. */
  storeOf<K extends KubeObject = KubeObject>(group: string, kind: string): GenericStore<K>;
}

export interface StorageConversion<T extends KubeObject> {
  group: string;
  kind: string;
  /** Served form → storage form (apiVersion/kind are set by the store). */
  toStorage(obj: T): KubeObject;
  /** Storage form → served form (apiVersion/kind are set by the store). */
  fromStorage(obj: KubeObject): T;
}

export const DEFAULT_VERBS: readonly string[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function verbsOfType(type: Pick<ResourceType, 'verbs'>): readonly string[] {
  return type.verbs ?? DEFAULT_VERBS;
}

/** Identity helper that lets a kind's file be found by the startup scan and keeps its type. */
export function defineResource<T extends KubeObject>(declaration: ResourceType<T>): ResourceType<T> {
  return Object.assign(declaration, { [RESOURCE_MARK]: true });
}

export const RESOURCE_MARK = Symbol.for('kubemu.resource');

export function isResourceType(value: unknown): value is ResourceType {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RESOURCE_MARK] === true;
}
