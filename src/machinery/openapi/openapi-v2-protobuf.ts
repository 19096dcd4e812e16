import { Type, type Field } from 'protobufjs';
import { stringify as toYaml } from 'yaml';
import { openApiV2Type } from './openapi-v2-proto';
import { compareCodePoints } from './stable-json';

/**
 * /openapi/v2 as protobuf: the JSON Swagger document turned into gnostic's `openapi.v2.Document`
 * (schema in openapi-v2-proto.ts), the way kube-openapi's handler does it with
 * `proto.Marshal(openapi_v2.ParseDocument(json))`. kubectl 1.27–1.28 read only this form; it walks
 * `definitions` for client-side validation and explain, and the PATCH operations' parameters to decide
 * whether to send fieldValidation=Strict.
 *
 * The mapping follows gnostic's parser:
 *  - a field's JSON key is its name in lowerCamelCase (`$ref` for `_ref`); `x-` keys become
 *    `vendor_extension` entries; free-keyed objects become Named* lists in key order;
 *  - free-form values (extensions, default, example, enum items) are `Any` holding YAML text, which
 *    the reader turns back into values with a YAML parser;
 *  - oneofs are chosen by shape as gnostic's "last alternative that parses" rule ends up choosing:
 *    `$ref` objects are references, parameters go by `in`, security schemes by `type`/`flow`;
 *  - like Go's proto3 marshalling, zero scalars are left out and present sub-objects are kept even
 *    when empty (`properties: {}` still marks an object kind for kubectl).
 */

type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
interface JsonObject {
  [key: string]: JsonValue;
}

/** A message as protobufjs' fromObject takes it: field name (as in the .proto) → value. */
interface Fields {
  [field: string]: FieldValue;
}
type Scalar = string | number | boolean;
type FieldValue = Scalar | Fields | Array<Scalar | Fields>;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys in the order the served JSON has them (Go's sorted map keys). */
function keysOf(object: JsonObject): string[] {
  return Object.keys(object).sort(compareCodePoints);
}

function jsonKeyOf(field: string): string {
  return field === '_ref' ? '$ref' : field.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/**
 * gnostic keeps free-form values as their YAML text. kube-openapi reads it back with a YAML 1.1
 * parser (go-yaml v2), so strings such as "yes" or "on" must come out quoted: ask for 1.1 rules.
 * No line folding, so long strings stay one scalar.
 */
function toAny(value: JsonValue): Fields {
  return { yaml: toYaml(value, { version: '1.1', lineWidth: 0 }) };
}

function vendorExtensions(object: JsonObject): Fields[] {
  return keysOf(object)
    .filter((key) => key.startsWith('x-'))
    .map((key) => ({ name: key, value: toAny(object[key]) }));
}

function message(name: string, json: JsonValue): Fields | undefined {
  return convertMessage(openApiV2Type(name), json);
}

/** The value of a oneof-holding message with only `member` set, if `json` converts. */
function oneof(member: string, type: string, json: JsonValue): Fields | undefined {
  const value = message(type, json);
  return value === undefined ? undefined : { [member]: value };
}

function strings(json: JsonValue): string[] {
  return (Array.isArray(json) ? json : [json]).filter((item): item is string => typeof item === 'string');
}

const NON_BODY_PARAMETERS: Record<string, [member: string, type: string]> = {
  header: ['header_parameter_sub_schema', 'HeaderParameterSubSchema'],
  formData: ['form_data_parameter_sub_schema', 'FormDataParameterSubSchema'],
  query: ['query_parameter_sub_schema', 'QueryParameterSubSchema'],
  path: ['path_parameter_sub_schema', 'PathParameterSubSchema'],
};

const OAUTH2_FLOWS: Record<string, [member: string, type: string]> = {
  implicit: ['oauth2_implicit_security', 'Oauth2ImplicitSecurity'],
  password: ['oauth2_password_security', 'Oauth2PasswordSecurity'],
  application: ['oauth2_application_security', 'Oauth2ApplicationSecurity'],
  accessCode: ['oauth2_access_code_security', 'Oauth2AccessCodeSecurity'],
};

const RESPONSE_CODE = /^([0-9]{3})$|^(default)$/;

/** `json` as a message of `type`; undefined where gnostic would find nothing of that type. */
function convertMessage(type: Type, json: JsonValue): Fields | undefined {
  switch (type.name) {
    case 'Any':
      return toAny(json);
    case 'TypeItem':
      return { value: strings(json) };
    case 'StringArray':
      return Array.isArray(json) ? { value: strings(json) } : undefined;
    case 'AdditionalPropertiesItem':
      // A oneof member has presence, so `false` is written (it means "no other keys").
      if (typeof json === 'boolean') return { boolean: json };
      return oneof('schema', 'Schema', json);
    case 'ItemsItem': {
      const schemas = (Array.isArray(json) ? json : [json]).map((item) => message('Schema', item));
      return { schema: schemas.filter((schema): schema is Fields => schema !== undefined) };
    }
  }
  if (!isObject(json)) return undefined;
  switch (type.name) {
    case 'ParametersItem':
      return '$ref' in json ? oneof('json_reference', 'JsonReference', json) : oneof('parameter', 'Parameter', json);
    case 'ResponseValue':
      return '$ref' in json ? oneof('json_reference', 'JsonReference', json) : oneof('response', 'Response', json);
    case 'Parameter':
      return json.in === 'body' ? oneof('body_parameter', 'BodyParameter', json) : oneof('non_body_parameter', 'NonBodyParameter', json);
    case 'NonBodyParameter': {
      const choice = typeof json.in === 'string' ? NON_BODY_PARAMETERS[json.in] : undefined;
      return choice ? oneof(choice[0], choice[1], json) : {};
    }
    case 'SchemaItem':
      return json.type === 'file' ? oneof('file_schema', 'FileSchema', json) : oneof('schema', 'Schema', json);
    case 'SecurityDefinitionsItem': {
      if (json.type === 'basic') return oneof('basic_authentication_security', 'BasicAuthenticationSecurity', json);
      if (json.type === 'apiKey') return oneof('api_key_security', 'ApiKeySecurity', json);
      const flow = json.type === 'oauth2' && typeof json.flow === 'string' ? OAUTH2_FLOWS[json.flow] : undefined;
      return flow ? oneof(flow[0], flow[1], json) : {};
    }
    case 'Paths':
      return {
        vendor_extension: vendorExtensions(json),
        path: namedEntries(type.fields.path, json, (key) => key.startsWith('/')),
      };
    case 'Responses':
      return {
        response_code: namedEntries(type.fields.response_code, json, (key) => RESPONSE_CODE.test(key)),
        vendor_extension: vendorExtensions(json),
      };
  }
  const map = type.fields.additional_properties;
  if (map && map.repeated && type.fieldsArray.length === 1) return { additional_properties: namedEntries(map, json, () => true) };
  return convertFields(type, json);
}

/** A free-keyed object as the Named* pairs of `field` (name = key, value = the converted value). */
function namedEntries(field: Field, json: JsonObject, keep: (key: string) => boolean): Fields[] {
  const pair = field.resolvedType;
  if (!(pair instanceof Type)) throw new Error(`openapi v2 protobuf: ${field.fullName} is not a message list`);
  const valueField = pair.fields.value;
  const entries: Fields[] = [];
  for (const key of keysOf(json).filter(keep)) {
    const value = convertValue(valueField, json[key]);
    entries.push(value === undefined ? { name: key } : { name: key, value });
  }
  return entries;
}

/** An ordinary message: each field from its camelCase JSON key, extensions from the `x-` keys. */
function convertFields(type: Type, json: JsonObject): Fields {
  const out: Fields = {};
  for (const field of type.fieldsArray) {
    if (field.name === 'vendor_extension') {
      const extensions = vendorExtensions(json);
      if (extensions.length) out.vendor_extension = extensions;
      continue;
    }
    const value = json[jsonKeyOf(field.name)];
    if (value === undefined) continue;
    if (field.repeated) {
      if (!Array.isArray(value)) continue;
      const items = value.map((item) => convertValue(field, item)).filter((item): item is Scalar | Fields => item !== undefined);
      if (items.length) out[field.name] = items;
      continue;
    }
    const converted = convertValue(field, value);
    // proto3 writes no zero scalars; messages are written whenever present.
    if (converted === undefined || converted === '' || converted === 0 || converted === false) continue;
    out[field.name] = converted;
  }
  return out;
}

/** One value of `field`: a message, or a scalar of the field's type (anything else is dropped). */
function convertValue(field: Field, json: JsonValue): Scalar | Fields | undefined {
  if (field.resolvedType instanceof Type) return convertMessage(field.resolvedType, json);
  switch (field.type) {
    case 'string':
      return typeof json === 'string' ? json : undefined;
    case 'bool':
      return typeof json === 'boolean' ? json : undefined;
    case 'double':
      return typeof json === 'number' ? json : undefined;
    case 'int64':
      return typeof json === 'number' && Number.isInteger(json) ? json : undefined;
    default:
      return undefined;
  }
}

/**
 * The protobuf form of a Swagger 2.0 document. `document` is what JSON.parse gave for the served
 * JSON, so it holds JSON values only.
 */
export function encodeOpenApiV2(document: unknown): Uint8Array {
  const json = document as JsonValue;
  if (!isObject(json)) throw new Error('openapi v2 protobuf: the document is not a JSON object');
  const type = openApiV2Type('Document');
  const fields = convertMessage(type, json) ?? {};
  // Already in the message's own shape (schema field names, plain numbers for int64), so protobufjs
  // can write it without a fromObject pass.
  return type.encode(fields).finish();
}

/** The encoded form read back as a plain object with the .proto's field names (tests, debugging). */
export function decodeOpenApiV2(bytes: Uint8Array): Record<string, unknown> {
  const type = openApiV2Type('Document');
  return type.toObject(type.decode(bytes), { longs: Number, oneofs: true });
}
