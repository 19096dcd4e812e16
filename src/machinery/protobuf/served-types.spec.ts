import { scanResourceTypes } from '../../registry/kind-scan';
import { apiVersionOf } from '../meta/types';
import { canEncode, decodeProtobufObject, encodeProtobufObject } from './index';

/** Every kind the server serves, and its list, must travel as protobuf without loss. */
describe('protobuf covers every served kind', () => {
  const types = scanResourceTypes();
  const metadata = {
    name: 'sample',
    namespace: 'default',
    uid: '6f1c2d3e-0000-4000-8000-000000000001',
    resourceVersion: '42',
    creationTimestamp: '2026-01-01T00:00:00Z',
    labels: { app: 'web' },
    annotations: { note: 'round trip' },
    managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } } } }],
  };

  it.each(types.map((t) => [`${t.group || 'core'}/${t.version} ${t.kind}`, t] as const))('%s', (_name, type) => {
    const apiVersion = apiVersionOf(type.group, type.version);
    expect(canEncode(apiVersion, type.kind)).toBe(true);
    const object = { kind: type.kind, apiVersion, metadata: type.namespaced ? metadata : { ...metadata, namespace: undefined } };
    const json = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
    expect(decodeProtobufObject(encodeProtobufObject(json)).object).toEqual(json);
    if (type.verbs && !type.verbs.includes('list')) return;
    const list = { kind: `${type.kind}List`, apiVersion, metadata: { resourceVersion: '42' }, items: [json] };
    // Items of a typed list carry no TypeMeta on the wire, as in Go.
    const { kind: _kind, apiVersion: _apiVersion, ...item } = json;
    expect(decodeProtobufObject(encodeProtobufObject(list)).object).toEqual({ ...list, items: [item] });
  });
});
