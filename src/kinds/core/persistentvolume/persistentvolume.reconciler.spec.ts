import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import type { Reconciler } from '../../../controller-runtime/reconciler';
import type { GenericStore } from '../../../registry/generic-store';
import { defaultListOptions } from '../../../registry/list-options';
import type { Pod } from '../pod/pod.types';
import { persistentVolumeReconciler } from './persistentvolume.reconciler';
import type { PersistentVolume, PersistentVolumeClaim } from './persistentvolume.types';

let env: SeededRegistry;
let reconciler: Reconciler;
let volumes: GenericStore<PersistentVolume>;
let claims: GenericStore<PersistentVolumeClaim>;
const NS = 'default';

beforeEach(async () => {
  env = await seededRegistry();
  reconciler = persistentVolumeReconciler(env.registry, env.clock);
  volumes = env.registry.forKind<PersistentVolume>('', 'PersistentVolume');
  claims = env.registry.forKind<PersistentVolumeClaim>('', 'PersistentVolumeClaim');
});
afterEach(() => env.close());

async function createVolume(name: string, storage: string, extra: Partial<PersistentVolume['spec']> = {}): Promise<void> {
  await volumes.create(undefined, { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage }, accessModes: ['ReadWriteOnce'], nfs: { server: '172.17.0.2', path: '/somepath' }, ...extra } });
}

async function createClaim(name: string, storage: string, extra: Partial<PersistentVolumeClaim['spec']> = {}): Promise<PersistentVolumeClaim> {
  const { object } = await claims.create(NS, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...extra } });
  return object as PersistentVolumeClaim;
}

const claim = (name: string) => claims.get(NS, name) as PersistentVolumeClaim;
const volume = (name: string) => volumes.find(undefined, name)?.object as PersistentVolume | undefined;

/** Runs every key until nothing changes any more, as the running reconciler would. */
async function settle(): Promise<void> {
  for (let round = 0; round < 6; round++) {
    const before = volumes.currentRevision();
    for (const pv of [...volumes.cachedObjects()]) await reconciler.reconcile(`volume:${pv.metadata.name}`);
    for (const pvc of [...claims.cachedObjects()]) await reconciler.reconcile(`claim:${pvc.metadata.namespace}/${pvc.metadata.name}`);
    if (volumes.currentRevision() === before) return;
  }
}

async function events(): Promise<string[]> {
  const { items } = await env.registry.forKind('', 'Event').list(NS, defaultListOptions());
  return items.map((e) => `${e.object.type as string} ${e.object.reason as string}: ${e.object.message as string}`);
}

describe('persistent volume reconciler', () => {
  it('gives claims without a class the default StorageClass, and both kinds their protection finalizers', async () => {
    const pvc = await createClaim('data', '1Gi');
    expect(pvc.spec?.storageClassName).toBe('standard');
    expect(pvc.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(pvc.status).toEqual({ phase: 'Pending' });
    await createVolume('pv1', '1Gi');
    expect(volume('pv1')?.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(volume('pv1')?.spec?.persistentVolumeReclaimPolicy).toBe('Retain');
  });

  it("leaves the seed's 8Gi claim Pending next to its 5Gi volume, and binds a claim that fits to the smallest volume", async () => {
    await createVolume('pv0003', '5Gi');
    await createVolume('big', '20Gi');
    await createClaim('myclaim', '30Gi', { storageClassName: '' });
    await createClaim('fits', '4Gi', { storageClassName: '' });
    await settle();
    expect(claim('myclaim').status?.phase).toBe('Pending');
    expect(await events()).toContain('Normal FailedBinding: no persistent volumes available for this claim and no storage class is set');
    const fits = claim('fits');
    expect(fits.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
    expect(fits.spec?.volumeName).toBe('pv0003');
    expect(fits.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    const pv = volume('pv0003')!;
    expect(pv.status?.phase).toBe('Bound');
    expect(pv.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: NS, name: 'fits', uid: fits.metadata.uid });
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(volume('big')?.status?.phase).toBe('Available');
  });

  it('matches access modes, selectors and requested volume names', async () => {
    await createVolume('rox', '10Gi', { accessModes: ['ReadOnlyMany'] });
    await createVolume('labelled', '10Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] });
    await volumes.guaranteedUpdate(undefined, 'labelled', (pv) => ({ ...pv, metadata: { ...pv.metadata, labels: { tier: 'fast' } } }));
    await createClaim('rwx', '1Gi', { storageClassName: '', accessModes: ['ReadWriteMany'], selector: { matchLabels: { tier: 'fast' } } });
    await createClaim('named', '1Gi', { storageClassName: '', accessModes: ['ReadOnlyMany'], volumeName: 'rox' });
    await settle();
    expect(claim('rwx').spec?.volumeName).toBe('labelled');
    expect(claim('named').status?.phase).toBe('Bound');
    expect(volume('rox')?.spec?.claimRef?.name).toBe('named');
  });

  it('waits for the first consumer in the default class, then provisions a volume on the chosen node', async () => {
    await createClaim('data', '2Gi');
    await settle();
    expect(claim('data').status?.phase).toBe('Pending');
    expect(await events()).toContain('Normal WaitForFirstConsumer: waiting for first consumer to be created before binding');
    await claims.guaranteedUpdate(NS, 'data', (c) => ({ ...c, metadata: { ...c.metadata, annotations: { 'volume.kubernetes.io/selected-node': 'node-2' } } }));
    await settle();
    const bound = claim('data');
    const name = `pvc-${bound.metadata.uid}`;
    expect(bound.status?.phase).toBe('Bound');
    expect(bound.spec?.volumeName).toBe(name);
    expect(bound.metadata.annotations?.['volume.kubernetes.io/storage-provisioner']).toBe('kubemu.io/hostpath');
    const pv = volume(name)!;
    expect(pv.spec).toMatchObject({ capacity: { storage: '2Gi' }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'standard' });
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0].matchExpressions?.[0]).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-2'] });
    expect(pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('kubemu.io/hostpath');
    expect(await events()).toEqual(expect.arrayContaining([`Normal ProvisioningSucceeded: Successfully provisioned volume ${name}`]));
    // Delete reclaim policy: the claim goes, the volume follows.
    await claims.delete(NS, 'data');
    await settle();
    expect(claims.find(NS, 'data')).toBeUndefined();
    expect(volume(name)).toBeUndefined();
  });

  it('releases a Retain volume when its claim goes, and fails a Delete volume it cannot delete', async () => {
    await createVolume('kept', '1Gi');
    await createVolume('nfs-delete', '1Gi', { persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'slow' });
    await createClaim('a', '1Gi', { storageClassName: '' });
    await createClaim('b', '1Gi', { storageClassName: 'slow' });
    await createClaim('c', '1Gi', { storageClassName: 'missing' });
    await settle();
    expect(claim('b').spec?.volumeName).toBe('nfs-delete');
    expect(claim('c').status?.phase).toBe('Pending');
    expect(await events()).toContain('Warning ProvisioningFailed: storageclass.storage.k8s.io "missing" not found');
    await claims.delete(NS, 'a');
    await claims.delete(NS, 'b');
    await settle();
    expect(volume('kept')?.status?.phase).toBe('Released');
    expect(volume('kept')?.spec?.claimRef?.name).toBe('a');
    expect(volume('nfs-delete')?.status).toMatchObject({ phase: 'Failed', message: 'error getting deleter volume plugin for volume "nfs-delete": no deletable volume plugin matched' });
  });

  it('keeps a claim a pod uses until the pod is gone', async () => {
    await createClaim('data', '1Gi', { storageClassName: '' });
    const pods = env.registry.forKind<Pod>('', 'Pod');
    await pods.create(NS, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'user' }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] } });
    await claims.delete(NS, 'data');
    await settle();
    expect(claim('data').metadata.deletionTimestamp).toBeDefined();
    await pods.delete(NS, 'user', { gracePeriodSeconds: 0 });
    await settle();
    expect(claims.find(NS, 'data')).toBeUndefined();
  });
});
