export { Schemas, locateDefinitions } from './schemas';
export type { BodyMediaType, DecodeOptions, DecodeResult, FieldValidation, ParsedBody, ParseOptions } from './schemas';
export type { ListType, MapType, NodeKind, SchemaNode } from './schema-node';
export { canonicalQuantity, parseQuantity, formatQuantity, QuantityError } from './quantity';
export type { ParsedQuantity, QuantityFormat } from './quantity';
export { canonicalMicroTime, canonicalTime, GoTimeError } from './go-time';
