import type { KubeObject } from '../machinery/meta/types';
import { GenericStore, type ComputedSource, type StoreDependencies } from './generic-store';
import type { ClusterSettings, ResourceType } from './resource-type';

export interface GroupVersions {
  group: string;
  /** Preferred version first. */
  versions: string[];
}

/**
 * Every served kind and its store. Discovery, OpenAPI, routing and reconcilers look kinds up here;
 * nothing else keeps a list of kinds.
 */
export class ResourceRegistry {
  private readonly stores = new Map<string, GenericStore>();
  private readonly byKind = new Map<string, GenericStore>();
  readonly settings: ClusterSettings;
  private readonly computedSources: Map<string, ComputedSource>;

  constructor(
    readonly types: readonly ResourceType[],
    deps: StoreDependencies,
  ) {
    this.settings = deps.settings;
    this.computedSources = deps.computedSources ??= new Map();
    deps.storeOf ??= <K extends KubeObject>(group: string, kind: string) => this.forKind<K>(group, kind);
    // Kinds that own their storage first, so kinds stored as another kind can find its store.
    const ordered = [...types.filter((t) => !t.storedAs), ...types.filter((t) => t.storedAs)];
    for (const type of ordered) {
      const storage = type.storedAs ? this.byKind.get(`${type.storedAs.group}/${type.storedAs.kind}`) : undefined;
      if (type.storedAs && !storage) throw new Error(`${type.group}/${type.kind} is stored as ${type.storedAs.group}/${type.storedAs.kind}, which is not registered`);
      const store = new GenericStore(type, deps, storage);
      this.stores.set(gvrKey(type.group, type.version, type.plural), store);
      // A kind served at several versions of its group is looked up as its storage version.
      const kindKey = `${type.group}/${type.kind}`;
      if (!this.byKind.has(kindKey)) this.byKind.set(kindKey, store);
    }
  }

  /** The store serving group/version/plural, or undefined. */
  lookup(group: string, version: string, plural: string): GenericStore | undefined {
    return this.stores.get(gvrKey(group, version, plural));
  }

  /** The store for a kind: the version that owns its storage when several versions are served. */
  forKind<T extends KubeObject = KubeObject>(group: string, kind: string): GenericStore<T> {
    const store = this.byKind.get(`${group}/${kind}`);
    if (!store) throw new Error(`kind ${group}/${kind} is not registered`);
    return store as unknown as GenericStore<T>;
  }

  /** Serves a computed kind (ResourceType.computedBy) from `source`. */
  provide(name: string, source: ComputedSource): void {
    this.computedSources.set(name, source);
  }

  allStores(): GenericStore[] {
    return [...this.stores.values()];
  }

  /** Resources served at one group/version, in registration order. */
  resourcesOf(group: string, version: string): GenericStore[] {
    return this.allStores().filter((s) => s.type.group === group && s.type.version === version);
  }

  /** Groups with their versions; the core group ("") first, then the others in name order. */
  groups(): GroupVersions[] {
    const versions = new Map<string, string[]>();
    for (const type of this.types) {
      const list = versions.get(type.group) ?? [];
      if (!list.includes(type.version)) list.push(type.version);
      versions.set(type.group, list);
    }
    return [...versions.entries()]
      .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
      .map(([group, list]) => ({ group, versions: list.sort(compareKubeVersions) }));
  }
}

function gvrKey(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}

/** Kubernetes version priority: GA > beta > alpha, higher numbers first (v2 > v1 > v1beta2 > v1beta1 > v1alpha1). */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}
