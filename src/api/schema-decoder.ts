import { Schemas } from '../machinery/schema';
import type { ObjectDecoder } from './object-decoder';

/** The REST layer's decoder over the one schema source. */
export function createObjectDecoder(schemas: Schemas = Schemas.shared()): ObjectDecoder {
  return {
    parse: (raw, format, kind) => schemas.parseBody(raw, format, { kind }),
    decode: (value, definition, options) => schemas.decode(value, definition, options),
    applyDefaults: (obj, definition) => void schemas.applyDefaults(obj, definition),
  };
}
