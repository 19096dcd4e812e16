import { StatusError } from '../errors/status-error';
import { Schemas, type DecodeOptions, type DecodeResult, type FieldValidation } from './schemas';

const schemas = Schemas.shared();
const POD = 'io.k8s.api.core.v1.Pod';
const SERVICE = 'io.k8s.api.core.v1.Service';

function decodeJson(text: string, definition = POD, fieldValidation: FieldValidation = 'Strict', kind = 'Pod'): DecodeResult {
  const parsed = schemas.parseBody(Buffer.from(text), 'json', { kind });
  return schemas.decode(parsed.value, definition, { fieldValidation, kind, version: 'v1', duplicateFields: parsed.duplicateFields });
}

function decodeYaml(text: string, definition: string, fieldValidation: FieldValidation, kind: string): DecodeResult {
  const parsed = schemas.parseBody(Buffer.from(text), 'yaml', { kind });
  const options: DecodeOptions = { fieldValidation, kind, version: 'v1', duplicateFields: parsed.duplicateFields, yamlErrors: parsed.yamlErrors };
  return schemas.decode(parsed.value, definition, options);
}

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

// The seed document's Service, typos included.
const SEED_SERVICE = `apiVersion: v1
kind: Service
metadata:
   name: tomcat-service
psec:
   ports:
   - port: 8080
   spector:
    tier: frontend
`;

describe('Schemas.parseBody', () => {
  it('parses JSON and YAML to the same value', () => {
    const json = schemas.parseBody(Buffer.from('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}'), 'json');
    const yaml = schemas.parseBody(Buffer.from('apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n'), 'yaml');
    expect(yaml.value).toEqual(json.value);
    expect(json.duplicateFields).toEqual([]);
  });

  it('reports repeated JSON keys with strict-decoding paths', () => {
    const parsed = schemas.parseBody(Buffer.from('{"metadata":{"name":"a","name":"b"},"spec":{"containers":[{"name":"x","name":"y"}]}}'), 'json');
    expect(parsed.duplicateFields).toEqual(['metadata.name', 'spec.containers[0].name']);
    expect(parsed.value).toEqual({ metadata: { name: 'b' }, spec: { containers: [{ name: 'y' }] } });
  });

  it('does not mistake a colon inside a string value for a key', () => {
    expect(schemas.parseBody(Buffer.from('{"a":"x\\":", "b": "\\"c\\": 1"}'), 'json').duplicateFields).toEqual([]);
  });

  it('answers malformed JSON like the real server', () => {
    const err = failure(() => schemas.parseBody(Buffer.from('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a",}}'), 'json', { kind: 'Pod' }));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe(
      `the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: invalid character '}' looking for beginning of object key string ({"apiVersion":"v1","kind":"Pod ...)`,
    );
  });

  it.each([
    ['', 'unexpected end of JSON input', '<empty>'],
    ['{"a":1', 'unexpected end of JSON input', '{"a":1'],
    ['{"a" 1}', "invalid character '1' after object key", '{"a" 1}'],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`, '{"a":1 "b":2}'],
    ['{"a":[1 2]}', "invalid character '2' after array element", '{"a":[1 2]}'],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')", '{"a":tru}'],
    ['{"a":01}', "invalid character '1' after object key:value pair", '{"a":01}'],
    ['{"a":-x}', "invalid character 'x' in numeric literal", '{"a":-x}'],
    ['{} x', "invalid character 'x' after top-level value", '{} x'],
    ["{'a':1}", `invalid character '\\'' looking for beginning of object key string`, "{'a':1}"],
  ])('Go syntax error for %j', (body, goError, summary) => {
    const err = failure(() => schemas.parseBody(Buffer.from(body), 'json', { kind: 'Pod' }));
    expect(err.message).toBe(`the object provided is unrecognized (must be of type Pod): couldn't get version/kind; json parse error: ${goError} (${summary})`);
  });

  it('summarises non-object bodies in hex, as summarizeData does', () => {
    const err = failure(() => schemas.parseBody(Buffer.from('[1,2]'), 'json', { kind: 'Pod' }));
    expect(err.message).toMatch(/^the object provided is unrecognized \(must be of type Pod\): couldn't get version\/kind; json parse error: json: cannot unmarshal array into Go value of type struct \{ APIVersion string/);
    expect(err.message).toMatch(/\(5b312c325d\)$/);
  });

  it('rejects a non-string apiVersion before decoding', () => {
    const err = failure(() => schemas.parseBody(Buffer.from('{"apiVersion":1}'), 'json', { kind: 'Pod' }));
    expect(err.message).toContain("json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string");
  });

  it('answers malformed YAML with a go-yaml style message', () => {
    const err = failure(() => schemas.parseBody(Buffer.from('a: b: c\n'), 'yaml', { kind: 'Pod' }));
    expect(err.code).toBe(400);
    expect(err.message).toBe('the object provided is unrecognized (must be of type Pod): yaml: line 1: mapping values are not allowed in this context (613a20623a20630a)');
  });

  it('reads YAML 1.1 scalars as go-yaml v2 does and keeps timestamps as text', () => {
    const parsed = schemas.parseBody(Buffer.from('a: yes\nb: off\nc: 0755\nd: 2001-12-14\ne: "on"\n'), 'yaml');
    expect(parsed.value).toEqual({ a: true, b: false, c: 493, d: '2001-12-14', e: 'on' });
  });

  it('reports repeated YAML keys in go-yaml strict wording, last value winning', () => {
    const parsed = schemas.parseBody(Buffer.from('metadata:\n  name: a\n  name: b\n'), 'yaml');
    expect(parsed.value).toEqual({ metadata: { name: 'b' } });
    expect(parsed.yamlErrors).toEqual(['line 3: key "name" already set in map']);
  });

  it('reads only the first YAML document', () => {
    expect(schemas.parseBody(Buffer.from('a: 1\n---\nb: 2\n'), 'yaml').value).toEqual({ a: 1 });
  });
});

describe('Schemas.decode — unknown and duplicate fields', () => {
  it('rejects the seed Service (top-level "psec") under Strict', () => {
    const err = failure(() => decodeYaml(SEED_SERVICE, SERVICE, 'Strict', 'Service'));
    expect(err.code).toBe(400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toBe('Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "psec"');
  });

  it('reports "spec.spector" once psec is spelled spec', () => {
    const err = failure(() => decodeYaml(SEED_SERVICE.replace('psec:', 'spec:'), SERVICE, 'Strict', 'Service'));
    expect(err.message).toBe('Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.spector"');
  });

  it('warns instead under Warn and drops the unknown field', () => {
    const result = decodeYaml(SEED_SERVICE.replace('psec:', 'spec:'), SERVICE, 'Warn', 'Service');
    expect(result.warnings).toEqual(['unknown field "spec.spector"']);
    expect(result.object.spec).toEqual({ ports: [{ port: 8080 }] });
  });

  it('drops silently under Ignore', () => {
    const result = decodeYaml(SEED_SERVICE, SERVICE, 'Ignore', 'Service');
    expect(result.warnings).toEqual([]);
    expect(result.object).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'tomcat-service' } });
  });

  it('catches the seed selector typos: matchLables and value for values', () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLables:
      app: web
    matchExpressions:
    - {key: tier, operator: In, values: [frontend]}
    - {key: environmetn, operator: NotIn, value: [dev]}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
`;
    const err = failure(() => decodeYaml(deployment, 'io.k8s.api.apps.v1.Deployment', 'Strict', 'Deployment'));
    expect(err.message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.selector.matchLables", unknown field "spec.selector.matchExpressions[1].value"',
    );
  });

  it('joins several errors with ", " and uses [i] for list items', () => {
    const err = failure(() =>
      decodeJson('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","lables":{}},"spec":{"containers":[{"name":"c","image":"i","imagePullPolcy":"Always"}]}}'),
    );
    expect(err.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.lables", unknown field "spec.containers[0].imagePullPolcy"',
    );
  });

  it('reports duplicate JSON fields under Strict and Warn, not under Ignore', () => {
    const body = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","name":"b","labels":{"x":"1","x":"2"}}}';
    expect(failure(() => decodeJson(body)).message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "metadata.name", duplicate field "metadata.labels.x"',
    );
    expect(decodeJson(body, POD, 'Warn').warnings).toEqual(['duplicate field "metadata.name"', 'duplicate field "metadata.labels.x"']);
    const ignored = decodeJson(body, POD, 'Ignore');
    expect(ignored.warnings).toEqual([]);
    expect(ignored.object.metadata).toEqual({ name: 'b', labels: { x: '2' } });
  });

  it('reports repeated YAML keys as go-yaml strict errors', () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  k: v\n';
    const err = failure(() => decodeYaml(yaml, 'io.k8s.api.core.v1.ConfigMap', 'Strict', 'ConfigMap'));
    expect(err.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n  line 5: key "name" already set in map');
    expect(decodeYaml(yaml, 'io.k8s.api.core.v1.ConfigMap', 'Warn', 'ConfigMap').warnings).toEqual(['line 5: key "name" already set in map']);
  });

  it('always accepts apiVersion, kind and metadata, and gives every object metadata', () => {
    expect(decodeJson('{"apiVersion":"v1","kind":"Pod"}').object).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: {} });
    expect(decodeJson('null').object).toEqual({ metadata: {} });
  });

  it('names the body kind and version in the message', () => {
    const err = failure(() => decodeJson('{"apiVersion":"apps/v1","kind":"Deployment","spek":{}}', 'io.k8s.api.apps.v1.Deployment', 'Strict', 'Deployment'));
    expect(err.message).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spek"');
  });
});

describe('Schemas.decode — types', () => {
  it.each([
    ['{"spec":{"containers":"x"}}', 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container'],
    ['{"spec":"x"}', 'json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec'],
    ['{"spec":{"containers":["x"]}}', 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container'],
    ['{"spec":{"containers":[{"name":5}]}}', 'json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string'],
    ['{"spec":{"containers":[{"name":"c","ports":[{"containerPort":"80"}]}]}}', 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'],
    ['{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80.5}]}]}}', 'json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32'],
    ['{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":true}]}]}}', 'json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string'],
    ['{"metadata":{"labels":{"a":1}}}', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['{"metadata":{"labels":[]}}', 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string'],
    ['{"spec":{"terminationGracePeriodSeconds":99999999999999999999}}', 'json: cannot unmarshal number 100000000000000000000 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64'],
    ['{"spec":{"containers":[{"name":"c","args":[1]}]}}', 'json: cannot unmarshal number into Go struct field Container.spec.containers.args of type string'],
    ['{"spec":{"hostNetwork":"true"}}', 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool'],
    ['{"metadata":{"creationTimestamp":5}}', 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string'],
    ['{"metadata":{"creationTimestamp":"yesterday"}}', 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'],
    ['{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":"lots"}}}]}}', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['{"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":true}}}]}}', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
  ])('%s', (body, goError) => {
    const err = failure(() => decodeJson(body));
    expect(err.code).toBe(400);
    expect(err.message).toBe(`Pod in version "v1" cannot be handled as a Pod: ${goError}`);
  });

  it('fails on a type error even under Ignore, and before any unknown-field report', () => {
    const err = failure(() => decodeJson('{"psec":1,"spec":{"containers":"x"}}', POD, 'Ignore'));
    expect(err.message).toContain('cannot unmarshal string into Go struct field PodSpec.spec.containers');
  });

  it('accepts int-or-string as either, and rejects other JSON types as int32', () => {
    const svc = (targetPort: string): string => `{"apiVersion":"v1","kind":"Service","spec":{"ports":[{"port":80,"targetPort":${targetPort}}]}}`;
    expect(decodeJson(svc('"http"'), SERVICE, 'Strict', 'Service').object.spec).toEqual({ ports: [{ port: 80, targetPort: 'http' }] });
    expect(decodeJson(svc('8080'), SERVICE, 'Strict', 'Service').object.spec).toEqual({ ports: [{ port: 80, targetPort: 8080 }] });
    expect(failure(() => decodeJson(svc('1.5'), SERVICE, 'Strict', 'Service')).message).toBe(
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal number 1.5 into Go struct field ServicePort.spec.ports.targetPort of type int32',
    );
    expect(failure(() => decodeJson(svc('true'), SERVICE, 'Strict', 'Service')).message).toContain('cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32');
  });

  it('reports a Service selector written as a label selector as the map type error the server gives', () => {
    const body = '{"apiVersion":"v1","kind":"Service","spec":{"selector":{"matchLables":{"app":"web"}}}}';
    expect(failure(() => decodeJson(body, SERVICE, 'Strict', 'Service')).message).toBe(
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal object into Go struct field ServiceSpec.spec.selector of type string',
    );
  });

  it('canonicalises quantities and times as the server stores them', () => {
    const { object } = decodeJson(
      '{"metadata":{"creationTimestamp":"2016-07-21T19:05:52+02:00"},"spec":{"containers":[{"name":"c","resources":{"limits":{"cpu":0.5,"memory":"1024Mi"},"requests":{"cpu":"1000m","memory":"129e6"}}}]}}',
    );
    expect(object.metadata.creationTimestamp).toBe('2016-07-21T17:05:52Z');
    expect((object.spec as { containers: Array<{ resources: unknown }> }).containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '1Gi' },
      requests: { cpu: '1', memory: '129e6' },
    });
  });

  it('normalises MicroTime to six fractional digits in UTC', () => {
    const body = '{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","spec":{"renewTime":"2024-01-01T10:00:00.5+01:00"}}';
    const err = failure(() => decodeJson(body, 'io.k8s.api.coordination.v1.Lease', 'Strict', 'Lease'));
    expect(err.message).toContain('cannot parse ".5+01:00" as ".000000"');
    const ok = decodeJson(body.replace('.5+', '.500000+'), 'io.k8s.api.coordination.v1.Lease', 'Strict', 'Lease');
    expect(ok.object.spec).toEqual({ renewTime: '2024-01-01T09:00:00.500000Z' });
  });

  it('checks base64 of []byte fields', () => {
    const secret = (data: string): string => `{"apiVersion":"v1","kind":"Secret","data":{"k":${JSON.stringify(data)}}}`;
    expect(decodeJson(secret('aGVsbG8='), 'io.k8s.api.core.v1.Secret', 'Strict', 'Secret').object.data).toEqual({ k: 'aGVsbG8=' });
    expect(decodeJson(secret('aGVs\nbG8='), 'io.k8s.api.core.v1.Secret', 'Strict', 'Secret').object.data).toEqual({ k: 'aGVsbG8=' });
    expect(failure(() => decodeJson(secret('hello world'), 'io.k8s.api.core.v1.Secret', 'Strict', 'Secret')).message).toBe(
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 5',
    );
  });

  it('drops nulls of fields and turns nulls in lists and maps into zero values', () => {
    const { object } = decodeJson('{"metadata":{"name":"a","creationTimestamp":null,"labels":{"x":null}},"spec":{"containers":[{"name":"c","args":[null,"b"]}]}}');
    expect(object.metadata).toEqual({ name: 'a', labels: { x: '' } });
    expect(object.spec).toEqual({ containers: [{ name: 'c', args: ['', 'b'] }] });
  });

  it('keeps free-form fields as they are', () => {
    const body = '{"metadata":{"name":"a","managedFields":[{"manager":"m","fieldsV1":{"f:metadata":{"anything":[1,{"x":null}]}}}]}}';
    expect(decodeJson(body).object.metadata.managedFields).toEqual([{ manager: 'm', fieldsV1: { 'f:metadata': { anything: [1, { x: null }] } } }]);
  });
});

describe('Schemas.applyDefaults', () => {
  const decodeAndDefault = (text: string, definition = POD, kind = 'Pod'): Record<string, unknown> => {
    const { object } = decodeJson(text, definition, 'Strict', kind);
    return schemas.applyDefaults(object, definition) as Record<string, unknown>;
  };

  it('fills the Go constant defaults of a Pod, into list items and nested structs', () => {
    const pod = decodeAndDefault(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"containers":[{"name":"c","image":"nginx","ports":[{"containerPort":80}],"livenessProbe":{"httpGet":{"port":80}}}],"volumes":[{"name":"s","secret":{"secretName":"x"}}]}}',
    );
    expect(pod.spec).toEqual({
      containers: [
        {
          name: 'c',
          image: 'nginx',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      volumes: [{ name: 's', secret: { secretName: 'x', defaultMode: 420 } }],
      enableServiceLinks: true,
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
    });
  });

  it('never overwrites a set value, but replaces the zero value of a Go value field', () => {
    const pod = decodeAndDefault('{"spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":0,"dnsPolicy":"","containers":[{"name":"c","livenessProbe":{"timeoutSeconds":0}}]}}');
    const spec = pod.spec as Record<string, unknown>;
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.terminationGracePeriodSeconds).toBe(0); // *int64: an explicit 0 stays
    expect(spec.dnsPolicy).toBe('ClusterFirst'); // string value field: "" is unset in Go
    expect((spec.containers as Array<{ livenessProbe: { timeoutSeconds: number } }>)[0].livenessProbe.timeoutSeconds).toBe(1);
  });

  it('keeps Pod-only defaults out of pod templates', () => {
    const deployment = decodeAndDefault(
      '{"apiVersion":"apps/v1","kind":"Deployment","spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"spec":{"containers":[{"name":"c"}]}}}}',
      'io.k8s.api.apps.v1.Deployment',
      'Deployment',
    );
    const spec = deployment.spec as { template: { spec: Record<string, unknown> }; strategy: unknown; replicas: number };
    expect(spec.template.spec.enableServiceLinks).toBeUndefined();
    expect(spec.template.spec.restartPolicy).toBe('Always');
    expect(spec.strategy).toEqual({ type: 'RollingUpdate' });
    expect(spec.replicas).toBe(1);
  });

  it('defaults Secret type, Service ports and Namespace phase', () => {
    expect(decodeAndDefault('{"data":{}}', 'io.k8s.api.core.v1.Secret', 'Secret').type).toBe('Opaque');
    const svc = decodeAndDefault('{"spec":{"ports":[{"port":80}]}}', SERVICE, 'Service');
    expect(svc.spec).toEqual({ ports: [{ port: 80, protocol: 'TCP' }], sessionAffinity: 'None', type: 'ClusterIP' });
    expect(decodeAndDefault('{"metadata":{"name":"n"}}', 'io.k8s.api.core.v1.Namespace', 'Namespace').status).toEqual({ phase: 'Active' });
  });

  it('copies default objects rather than sharing them between requests', () => {
    const a = decodeAndDefault('{"spec":{"containers":[]}}');
    const b = decodeAndDefault('{"spec":{"containers":[]}}');
    expect((a.spec as { securityContext: object }).securityContext).not.toBe((b.spec as { securityContext: object }).securityContext);
  });
});

describe('SchemaNode lookups for patch engines', () => {
  it('exposes merge keys, patch strategies and list types by path', () => {
    expect(schemas.patchMetaAt(POD, ['spec', 'containers'])).toEqual({ strategies: ['merge'], mergeKey: 'name' });
    expect(schemas.patchMetaAt(POD, ['spec', 'containers', 'ports'])).toEqual({ strategies: ['merge'], mergeKey: 'containerPort' });
    expect(schemas.listTypeAt(POD, ['spec', 'containers', 'ports'])).toEqual({ listType: 'map', keys: ['containerPort', 'protocol'] });
    expect(schemas.patchMetaAt(POD, ['metadata', 'finalizers'])?.strategies).toEqual(['merge']);
    expect(schemas.patchMetaAt('io.k8s.api.apps.v1.Deployment', ['spec', 'strategy'])?.strategies).toEqual(['retainKeys']);
    expect(schemas.nodeAt(POD, ['spec', 'nope'])).toBeUndefined();
  });

  it('describes definitions with their GVK and Go type', () => {
    const pod = schemas.definitionOf(POD);
    expect(pod?.kind).toBe('struct');
    expect(pod?.gvk).toEqual([{ group: '', version: 'v1', kind: 'Pod' }]);
    expect(schemas.nodeAt(POD, ['spec', 'containers'])?.goType).toBe('[]v1.Container');
    expect(schemas.nodeAt(POD, ['metadata', 'labels'])?.kind).toBe('map');
    expect(schemas.nodeAt(POD, ['spec', 'containers', 'resources', 'limits'])?.values?.kind).toBe('quantity');
  });
});
