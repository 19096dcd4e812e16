import { seededRegistry, type SeededRegistry } from '../../../../test/support/registry';
import { StatusError } from '../../../machinery/errors/status-error';
import { defaultListOptions } from '../../../registry/list-options';
import type { GenericStore } from '../../../registry/generic-store';
import type { Pod } from '../pod/pod.types';
import { replicationControllerReconciler } from './replicationcontroller.reconciler';
import type { ReplicationController } from './replicationcontroller.types';

const NS = 'default';
let env: SeededRegistry;
let controllers: GenericStore<ReplicationController>;

beforeEach(async () => {
  env = await seededRegistry();
  controllers = env.registry.forKind<ReplicationController>('', 'ReplicationController');
});
afterEach(() => env.close());

const rc = (spec: ReplicationController['spec']): ReplicationController => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' }, spec });
const template = { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

describe('ReplicationController', () => {
  it('takes its selector and labels from the template when unset', async () => {
    const { object } = await controllers.create(NS, rc({ template }));
    const created = object as ReplicationController;
    expect(created.spec?.selector).toEqual({ app: 'legacy' });
    expect(created.spec?.replicas).toBe(1);
    expect(created.metadata.labels).toEqual({ app: 'legacy' });
    expect(created.status).toEqual({ replicas: 0 });
  });

  it('refuses a missing template and a selector that does not match it', async () => {
    await expect(controllers.create(NS, rc({ selector: { app: 'x' } }))).rejects.toMatchObject({ message: 'ReplicationController "legacy" is invalid: spec.template: Required value' });
    const err = (await controllers.create(NS, rc({ selector: { app: 'x' }, template })).catch((e: unknown) => e)) as StatusError;
    expect(err.message).toBe('ReplicationController "legacy" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"legacy"}: `selector` does not match template `labels`');
    const deadline = { ...template, spec: { ...template.spec, activeDeadlineSeconds: 5 } };
    await expect(controllers.create(NS, rc({ template: deadline }))).rejects.toMatchObject({
      message: 'ReplicationController "legacy" is invalid: spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported',
    });
  });

  it('is reconciled like a ReplicaSet: pods owned by the controller, and its status', async () => {
    const { object } = await controllers.create(NS, rc({ replicas: 2, template }));
    const reconciler = replicationControllerReconciler(env.registry, env.clock);
    await reconciler.reconcile(`${NS}/legacy`);
    const pods = (await env.registry.forKind<Pod>('', 'Pod').list(NS, defaultListOptions())).items.map((e) => e.object as Pod);
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(/^legacy-[a-z0-9]{5}$/);
      expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'legacy', uid: object.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    expect((controllers.get(NS, 'legacy') as ReplicationController).status).toEqual({ replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
  });
});
