import { parse as parseYaml } from 'yaml';
import { loadOpenApiDocuments, locateOpenApiDir } from './openapi-files';
import { OpenApiPublisher, V2_PROTOBUF_CONTENT_TYPE } from './openapi-publisher';
import { decodeOpenApiV2, encodeOpenApiV2 } from './openapi-v2-protobuf';
import { stableStringify } from './stable-json';

// The decoded shapes these tests look at (field names as in openapi-v2-proto.ts).
interface AnyValue {
  yaml?: string;
}
interface NamedAny {
  name: string;
  value?: AnyValue;
}
interface SchemaMessage {
  _ref?: string;
  description?: string;
  type?: { value?: string[] };
  required?: string[];
  properties?: { additional_properties?: Array<{ name: string; value: SchemaMessage }> };
  additional_properties?: { schema?: SchemaMessage; boolean?: boolean };
  items?: { schema?: SchemaMessage[] };
  default?: AnyValue;
  enum?: AnyValue[];
  max_length?: number;
  vendor_extension?: NamedAny[];
}
interface ParameterMessage {
  body_parameter?: { name?: string; in?: string; required?: boolean; schema?: SchemaMessage };
  non_body_parameter?: {
    query_parameter_sub_schema?: { name?: string; in?: string; type?: string };
    path_parameter_sub_schema?: { name?: string; in?: string; required?: boolean };
  };
}
interface ParametersItem {
  parameter?: ParameterMessage;
  json_reference?: { _ref?: string };
}
interface OperationMessage {
  operation_id?: string;
  parameters?: ParametersItem[];
  responses?: { response_code?: Array<{ name: string; value: { response?: { description?: string; schema?: { schema?: SchemaMessage } } } }> };
  vendor_extension?: NamedAny[];
}
interface DocumentMessage {
  swagger?: string;
  info?: { title?: string; version?: string };
  paths?: { path?: Array<{ name: string; value: { patch?: OperationMessage; post?: OperationMessage; parameters?: ParametersItem[] } }> };
  definitions?: { additional_properties?: Array<{ name: string; value: SchemaMessage }> };
  parameters?: { additional_properties?: Array<{ name: string; value: ParameterMessage }> };
  security?: Array<{ additional_properties?: Array<{ name: string; value?: { value?: string[] } }> }>;
  security_definitions?: { additional_properties?: Array<{ name: string; value: { api_key_security?: { type?: string; name?: string; in?: string } } }> };
}

interface JsonSchema {
  properties?: Record<string, unknown>;
  'x-kubernetes-group-version-kind'?: unknown;
}
interface JsonDocument {
  definitions: Record<string, JsonSchema>;
  paths: Record<string, unknown>;
}

const decode = (bytes: Uint8Array): DocumentMessage => decodeOpenApiV2(bytes) as DocumentMessage;
const extension = (schema: { vendor_extension?: NamedAny[] } | undefined, name: string): unknown => {
  const found = schema?.vendor_extension?.find((e) => e.name === name);
  return found?.value?.yaml === undefined ? undefined : (parseYaml(found.value.yaml) as unknown);
};

describe('OpenAPI v2 as gnostic protobuf (the committed document)', () => {
  // Encoded from the served JSON text, as the publisher does.
  const json = JSON.parse(stableStringify(loadOpenApiDocuments(locateOpenApiDir(__dirname)).v2)) as JsonDocument;
  const bytes = encodeOpenApiV2(json);
  const doc = decode(bytes);
  const definitions = new Map((doc.definitions?.additional_properties ?? []).map((d) => [d.name, d.value]));

  it('starts with Document.swagger (field 1, length-delimited) = "2.0"', () => {
    expect([...bytes.subarray(0, 5)]).toEqual([0x0a, 3, ...Buffer.from('2.0')]);
    expect(doc.info).toEqual({ title: 'Kubernetes', version: 'unversioned' });
  });

  it('keeps every definition, in the JSON key order', () => {
    expect(doc.definitions?.additional_properties?.map((d) => d.name)).toEqual(Object.keys(json.definitions));
  });

  it('keeps a kind: properties, required, types, $refs and its group-version-kind', () => {
    const pod = definitions.get('io.k8s.api.core.v1.Pod');
    expect(pod?.type?.value).toEqual(['object']);
    expect(pod?.properties?.additional_properties?.map((p) => p.name)).toEqual(Object.keys(json.definitions['io.k8s.api.core.v1.Pod'].properties ?? {}));
    expect(pod?.properties?.additional_properties?.find((p) => p.name === 'spec')?.value._ref).toBe('#/definitions/io.k8s.api.core.v1.PodSpec');
    expect(extension(pod, 'x-kubernetes-group-version-kind')).toEqual([{ group: '', kind: 'Pod', version: 'v1' }]);
    expect(extension(pod, 'x-kubernetes-group-version-kind')).toEqual(json.definitions['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind']);

    const container = definitions.get('io.k8s.api.core.v1.Container');
    expect(container?.required).toContain('name');
    const ports = container?.properties?.additional_properties?.find((p) => p.name === 'ports')?.value;
    expect(ports?.type?.value).toEqual(['array']);
    expect(ports?.items?.schema?.[0]._ref).toBe('#/definitions/io.k8s.api.core.v1.ContainerPort');
  });

  it('writes additionalProperties as the schema alternative', () => {
    const meta = definitions.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const labels = meta?.properties?.additional_properties?.find((p) => p.name === 'labels')?.value;
    expect(labels?.type?.value).toEqual(['object']);
    expect(labels?.additional_properties?.schema?.type?.value).toEqual(['string']);
  });

  it('declares fieldValidation on PATCH as an inline query parameter, where kubectl 1.27 looks for it', () => {
    const pod = doc.paths?.path?.find((p) => p.name === '/api/v1/namespaces/{namespace}/pods/{name}')?.value;
    expect(extension(pod?.patch, 'x-kubernetes-group-version-kind')).toEqual({ group: '', kind: 'Pod', version: 'v1' });
    const names = pod?.patch?.parameters?.map((p) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name);
    expect(names).toContain('fieldValidation');
    expect(pod?.patch?.parameters?.some((p) => p.json_reference?._ref?.startsWith('#/parameters/'))).toBe(true);
    expect(pod?.parameters?.[0].parameter?.non_body_parameter?.path_parameter_sub_schema).toMatchObject({ name: 'name', in: 'path', required: true });
    const created = doc.paths?.path?.find((p) => p.name === '/api/v1/namespaces/{namespace}/pods')?.value.post;
    expect(created?.parameters?.[0].parameter?.body_parameter).toMatchObject({ name: 'body', in: 'body', required: true, schema: { _ref: '#/definitions/io.k8s.api.core.v1.Pod' } });
    expect(created?.responses?.response_code?.map((r) => r.name)).toEqual(['200', '201', '202', '401']);
    expect(created?.responses?.response_code?.[1].value.response?.schema?.schema?._ref).toBe('#/definitions/io.k8s.api.core.v1.Pod');
  });

  it('keeps global parameters and security', () => {
    expect(doc.parameters?.additional_properties?.length).toBeGreaterThan(0);
    expect(doc.security_definitions?.additional_properties?.[0]).toEqual({
      name: 'BearerToken',
      value: expect.objectContaining({ api_key_security: expect.objectContaining({ type: 'apiKey', name: 'authorization', in: 'header' }) }) as unknown,
    });
    expect(doc.security?.[0].additional_properties?.[0].name).toBe('BearerToken');
  });
});

describe('OpenAPI v2 protobuf encoding rules', () => {
  const doc = decode(
    encodeOpenApiV2({
      swagger: '2.0',
      definitions: {
        Closed: { type: 'object', additionalProperties: false, properties: {} },
        Values: {
          type: 'string',
          default: 'yes',
          enum: ['yes', 'no', 'on'],
          maxLength: 0,
          description: '',
          'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
        },
        Many: { type: ['string', 'null'], items: [{ type: 'string' }, { type: 'integer' }] },
      },
    }),
  );
  const definitions = new Map((doc.definitions?.additional_properties ?? []).map((d) => [d.name, d.value]));

  it('writes additionalProperties: false and keeps empty properties present (kubectl: a kind, not a map)', () => {
    const closed = definitions.get('Closed');
    expect(closed?.additional_properties?.boolean).toBe(false);
    expect(closed?.properties).toBeDefined();
  });

  it('carries free-form values as YAML that a YAML 1.1 reader reads back as strings', () => {
    const values = definitions.get('Values');
    expect(values?.default?.yaml).toBe('"yes"\n');
    expect(values?.enum?.map((e) => e.yaml)).toEqual(['"yes"\n', '"no"\n', '"on"\n']);
    expect(extension(values, 'x-kubernetes-list-map-keys')).toEqual(['containerPort', 'protocol']);
  });

  it('leaves zero scalars out, as proto3 marshalling does', () => {
    const values = definitions.get('Values');
    expect(values?.max_length).toBeUndefined();
    expect(values?.description).toBeUndefined();
  });

  it('takes type and items as lists too', () => {
    const many = definitions.get('Many');
    expect(many?.type?.value).toEqual(['string', 'null']);
    expect(many?.items?.schema?.map((s) => s.type?.value?.[0])).toEqual(['string', 'integer']);
  });
});

describe('OpenApiPublisher /openapi/v2 protobuf', () => {
  const publisher = new OpenApiPublisher({ v2: { swagger: '2.0', paths: { '/a': {} } }, v3: new Map() });

  it('answers both protobuf media types with the protobuf, typed as kube-openapi does, under the JSON ETag', () => {
    const json = publisher.v2({ accept: 'application/json' });
    for (const accept of ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf']) {
      const response = publisher.v2({ accept });
      expect(response.status).toBe(200);
      expect(response.headers['Content-Type']).toBe(V2_PROTOBUF_CONTENT_TYPE);
      expect(response.headers.ETag).toBe(json.headers.ETag);
      expect(response.headers.Vary).toBe('Accept');
      expect(decode(response.body)).toMatchObject({ swagger: '2.0', paths: { path: [{ name: '/a' }] } });
    }
  });

  it('prefers JSON when both are equally acceptable, and protobuf when it ranks higher', () => {
    expect(publisher.v2({ accept: 'application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf' }).headers['Content-Type']).toBe('application/json');
    expect(publisher.v2({ accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json;q=0.5' }).headers['Content-Type']).toBe(V2_PROTOBUF_CONTENT_TYPE);
  });

  it('revalidates with the shared ETag', () => {
    const accept = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
    const etag = publisher.v2({ accept }).headers.ETag;
    expect(publisher.v2({ accept, 'if-none-match': etag }).status).toBe(304);
  });
});
