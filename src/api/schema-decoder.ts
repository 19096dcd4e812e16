import { StatusError } from '../machinery/errors/status-error';
import type { KubeObject } from '../machinery/meta/types';
import type { ObjectDecoder } from './object-decoder';

/** Placeholder until the schema machinery lands: parses JSON, checks nothing. */
export function createObjectDecoder(): ObjectDecoder {
  return {
    parse(raw) {
      try {
        return { value: JSON.parse(raw.toString('utf8')), duplicateFields: [] };
      } catch (err) {
        throw StatusError.badRequest((err as Error).message);
      }
    },
    decode(value) {
      return { object: value as KubeObject, warnings: [] };
    },
    applyDefaults() {},
  };
}
