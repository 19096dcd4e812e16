export { Schemas, locateDefinitions } from './schemas';
export type { BodyMediaType, DecodeOptions, DecodeResult, FieldValidation, ParsedBody, ParseOptions } from './schemas';
export type { ListType, MapType, NodeKind, SchemaNode } from './schema-node';
export { canonicalMicroTime, canonicalTime, GoTimeError } from './go-time';
