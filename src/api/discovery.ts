import { apiVersionOf, parseApiVersion } from '../machinery/meta/types';
import type { GenericStore } from '../registry/generic-store';
import { verbsOfType } from '../registry/resource-type';
import type { ResourceRegistry } from '../registry/registry';
import { SCALE_API_VERSION, SCALE_KIND, SCALE_SUBRESOURCE } from '../registry/scale';

/**
 * Discovery documents: the legacy APIVersions/APIGroupList/APIResourceList and the aggregated
 * apidiscovery.k8s.io v2/v2beta1 lists, all derived from the registry. Built once: the set of
 * kinds is fixed at start-up.
 */
export class Discovery {
  readonly coreVersions: Record<string, unknown>;
  readonly groupList: Record<string, unknown>;
  private readonly resourceLists = new Map<string, Record<string, unknown>>();
  private readonly groups = new Map<string, Record<string, unknown>>();
  private readonly aggregated = new Map<string, Record<string, unknown>>();

  constructor(private readonly registry: ResourceRegistry) {
    this.coreVersions = {
      kind: 'APIVersions',
      versions: registry.groups().find((g) => g.group === '')?.versions ?? ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    };
    const groups = registry.groups().filter((g) => g.group !== '');
    for (const g of groups) {
      const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
      this.groups.set(g.group, { kind: 'APIGroup', apiVersion: 'v1', name: g.group, versions, preferredVersion: versions[0] });
    }
    this.groupList = { kind: 'APIGroupList', apiVersion: 'v1', groups: [...this.groups.values()].map(({ kind: _k, apiVersion: _a, ...rest }) => rest) };
    for (const g of registry.groups()) {
      for (const v of g.versions) this.resourceLists.set(apiVersionOf(g.group, v), this.buildResourceList(g.group, v));
    }
    for (const version of ['v2', 'v2beta1']) {
      this.aggregated.set(`core/${version}`, this.buildAggregated(version, true));
      this.aggregated.set(`apis/${version}`, this.buildAggregated(version, false));
    }
  }

  group(name: string): Record<string, unknown> | undefined {
    return this.groups.get(name);
  }

  resourceList(group: string, version: string): Record<string, unknown> | undefined {
    return this.resourceLists.get(apiVersionOf(group, version));
  }

  aggregatedList(core: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
    return this.aggregated.get(`${core ? 'core' : 'apis'}/${version}`)!;
  }

  private buildResourceList(group: string, version: string): Record<string, unknown> {
    const resources: Record<string, unknown>[] = [];
    for (const store of this.registry.resourcesOf(group, version)) {
      const t = store.type;
      resources.push({
        name: t.plural,
        singularName: t.singular,
        namespaced: t.namespaced,
        kind: t.kind,
        verbs: verbsOfType(t),
        ...(t.shortNames?.length ? { shortNames: t.shortNames } : {}),
        ...(t.categories?.length ? { categories: t.categories } : {}),
        storageVersionHash: storageVersionHash(store),
      });
      for (const sub of subresourcesOf(store)) {
        const otherKind = sub.kind.group !== t.group || sub.kind.version !== t.version ? { group: sub.kind.group, version: sub.kind.version } : {};
        resources.push({ name: `${t.plural}/${sub.name}`, singularName: '', namespaced: t.namespaced, ...otherKind, kind: sub.kind.kind, verbs: sub.verbs });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources };
  }

  private buildAggregated(version: string, core: boolean): Record<string, unknown> {
    const items = this.registry
      .groups()
      .filter((g) => (g.group === '') === core)
      .map((g) => ({
        metadata: { name: g.group, creationTimestamp: null },
        versions: g.versions.map((v) => ({
          version: v,
          resources: this.registry.resourcesOf(g.group, v).map((store) => aggregatedResource(store)),
          freshness: 'Current',
        })),
      }));
    return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
  }
}

function aggregatedResource(store: GenericStore): Record<string, unknown> {
  const t = store.type;
  const resource: Record<string, unknown> = {
    resource: t.plural,
    responseKind: { group: t.group, version: t.version, kind: t.kind },
    scope: t.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: t.singular,
    verbs: verbsOfType(t),
  };
  if (t.shortNames?.length) resource.shortNames = t.shortNames;
  if (t.categories?.length) resource.categories = t.categories;
  const subresources = subresourcesOf(store);
  if (subresources.length) {
    resource.subresources = subresources.map((sub) => ({ subresource: sub.name, responseKind: sub.kind, verbs: sub.verbs }));
  }
  return resource;
}

interface SubresourceInfo {
  name: string;
  verbs: string[];
  kind: { group: string; version: string; kind: string };
}

function subresourcesOf(store: GenericStore): SubresourceInfo[] {
  const t = store.type;
  const own = { group: t.group, version: t.version, kind: t.kind };
  const subs: SubresourceInfo[] = [];
  if (t.statusSubresource) subs.push({ name: 'status', verbs: ['get', 'patch', 'update'], kind: own });
  for (const name of Object.keys(t.subresourceWriters ?? {})) if (name !== 'status') subs.push({ name, verbs: ['update'], kind: own });
  if (t.scale) subs.push({ name: SCALE_SUBRESOURCE, verbs: ['get', 'patch', 'update'], kind: { ...parseApiVersion(SCALE_API_VERSION), kind: SCALE_KIND } });
  for (const [name, connect] of Object.entries(t.connect ?? {})) subs.push({ name, verbs: connect.verbs, kind: { group: '', version: 'v1', kind: connect.kind } });
  for (const [name, action] of Object.entries(t.actions ?? {})) {
    subs.push({ name, verbs: ['create'], kind: { ...parseApiVersion(action.apiVersion), kind: action.kind } });
  }
  return subs.sort((a, b) => a.name.localeCompare(b.name));
}

/** A stable per-resource hash, as the real server derives from the storage version; clients only compare it. */
function storageVersionHash(store: GenericStore): string {
  let h = 0x811c9dc5;
  for (const ch of `${store.type.group}/${store.type.version}/${store.type.kind}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return Buffer.from(h.toString(16).padStart(8, '0')).toString('base64').slice(0, 11) + '=';
}
