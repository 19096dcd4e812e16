import type { KubeObject } from '../machinery/meta/types';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The schema machinery as the REST layer uses it: parse a body, check it against a definition, default it. */
export interface ObjectDecoder {
  parse(raw: Buffer, format: 'json' | 'yaml'): { value: unknown; duplicateFields: string[] };
  decode(
    value: unknown,
    definition: string,
    options: { fieldValidation: FieldValidation; duplicateFields?: string[]; kind: string; version: string },
  ): { object: KubeObject; warnings: string[] };
  applyDefaults(obj: KubeObject, definition: string): void;
}
