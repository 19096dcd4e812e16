/** ConfigMap rules of pkg/apis/core/validation (ValidateConfigMap, ValidateConfigMapUpdate). */
import { FieldError } from '../../../machinery/errors/status-error';
import { Check, EachEntry, forbidden, invalid, type Finding } from '../../../machinery/validation/class-validation';
import { sameStringMap } from '../../../machinery/validation/common';
import { configMapKeyErrors } from '../../../machinery/validation/names';
import type { ConfigMap } from './configmap.resource';

/** core.MaxSecretSize, which ConfigMaps share. */
export const MAX_CONFIG_MAP_SIZE = 1024 * 1024;

/** Bytes a binaryData value (base64 on the wire) holds. */
export function decodedLength(base64: unknown): number {
  return typeof base64 === 'string' ? Buffer.from(base64, 'base64').length : 0;
}

export class ConfigMapRules {
  @EachEntry<string>((key, _value) => configMapKeyErrors(key).map((m) => invalid(key, m)))
  @Check<Record<string, string> | undefined, ConfigMap>((data, cm) =>
    Object.keys(data ?? {})
      .filter((key) => cm.binaryData && key in cm.binaryData)
      .map((key): Finding => invalid(key, 'duplicate of key present in binaryData', `[${key}]`)),
  )
  data?: Record<string, string>;

  @EachEntry<string>((key) => configMapKeyErrors(key).map((m) => invalid(key, m)))
  binaryData?: Record<string, string>;
}

/** The 1 MiB limit counts data and binaryData together and is reported against the whole object (path ""). */
export function configMapSizeErrors(cm: ConfigMap): FieldError[] {
  let size = 0;
  for (const value of Object.values(cm.data ?? {})) size += Buffer.byteLength(String(value ?? ''));
  for (const value of Object.values(cm.binaryData ?? {})) size += decodedLength(value);
  return size > MAX_CONFIG_MAP_SIZE ? [FieldError.tooLong('', MAX_CONFIG_MAP_SIZE)] : [];
}

/** Once `immutable: true` is stored, the flag and the contents stay as they are. */
export class ConfigMapUpdateRules {
  @Check<boolean | undefined, { old: ConfigMap }>((immutable, ctx) =>
    ctx.old.immutable === true && immutable !== true ? forbidden('field is immutable when `immutable` is set') : undefined,
  )
  immutable?: boolean;

  @Check<unknown, { old: ConfigMap }>((data, ctx) =>
    ctx.old.immutable === true && !sameStringMap(data as Record<string, unknown>, ctx.old.data) ? forbidden('field is immutable when `immutable` is set') : undefined,
  )
  data?: Record<string, string>;

  @Check<unknown, { old: ConfigMap }>((binaryData, ctx) =>
    ctx.old.immutable === true && !sameStringMap(binaryData as Record<string, unknown>, ctx.old.binaryData) ? forbidden('field is immutable when `immutable` is set') : undefined,
  )
  binaryData?: Record<string, string>;

  old!: ConfigMap;
}
