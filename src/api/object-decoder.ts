import type { KubeObject } from '../machinery/meta/types';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface ParsedBody {
  value: unknown;
  duplicateFields: string[];
  yamlErrors?: string[];
}

/** The schema machinery as the REST layer uses it: parse a body, check it against a definition, default it. */
export interface ObjectDecoder {
  /** `kind` words parse errors the way the real server does for that kind. */
  parse(raw: Buffer, format: 'json' | 'yaml', kind?: string): ParsedBody;
  decode(
    value: unknown,
    definition: string,
    options: { fieldValidation: FieldValidation; duplicateFields?: string[]; yamlErrors?: string[]; kind: string; version: string },
  ): { object: KubeObject; warnings: string[] };
  applyDefaults(obj: KubeObject, definition: string): void;
}
