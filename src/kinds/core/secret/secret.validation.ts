/** Secret rules of pkg/apis/core/validation (ValidateSecret, ValidateSecretUpdate). */
import { FieldError } from '../../../machinery/errors/status-error';
import { Check, EachEntry, forbidden, invalid, type Finding } from '../../../machinery/validation/class-validation';
import { FIELD_IMMUTABLE, sameStringMap } from '../../../machinery/validation/common';
import { configMapKeyErrors } from '../../../machinery/validation/names';
import type { Secret } from './secret.resource';

export const MAX_SECRET_SIZE = 1024 * 1024;
const REDACTED = '<secret contents redacted>';

function decoded(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : '', 'base64');
}

/**
 * The error Go's encoding/json gives when the bytes are not a JSON object (the dockercfg checks print
 * it). Node's parser words things differently, so the common cases are translated.
 */
export function goJsonObjectError(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const trimmed = text.trim();
    if (!trimmed || /end of JSON input|Unterminated/.test(message)) return 'unexpected end of JSON input';
    if (!'{["-0123456789tfn'.includes(trimmed[0])) return `invalid character '${trimmed[0]}' looking for beginning of value`;
    const at = /position (\d+)/.exec(message);
    const token = /Unexpected token '(.)'/.exec(message);
    const bad = token ? token[1] : at ? text[Number(at[1])] : undefined;
    if (bad === undefined) return 'unexpected end of JSON input';
    if (/property name/.test(message)) return `invalid character '${bad}' looking for beginning of object key string`;
    return `invalid character '${bad}' looking for beginning of value`;
  }
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return undefined;
  const kind = parsed === null ? undefined : Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'number' ? 'number' : 'bool';
  return kind ? `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}` : undefined;
}

/** Keys each well-known secret type must carry (validateSecret's switch on type). */
function typeFindings(secret: Secret): FieldError[] {
  const data = secret.data ?? {};
  const has = (key: string) => Object.prototype.hasOwnProperty.call(data, key);
  const req = (key: string) => FieldError.required(`data[${key}]`);
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [FieldError.required('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = secret.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) return [req(key)];
      const problem = goJsonObjectError(decoded(data[key]));
      return problem ? [FieldError.invalid(`data[${key}]`, REDACTED, problem)] : [];
    }
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be there.
      return !has('username') && !has('password') ? [req('username'), req('password')] : [];
    case 'kubernetes.io/ssh-auth':
      return decoded(data['ssh-privatekey']).length === 0 ? [req('ssh-privatekey')] : [];
    case 'kubernetes.io/tls':
      return [...(has('tls.crt') ? [] : [req('tls.crt')]), ...(has('tls.key') ? [] : [req('tls.key')])];
    default:
      return [];
  }
}

export class SecretRules {
  @EachEntry<string>((key) => configMapKeyErrors(key).map((m): Finding => invalid(key, m)))
  @Check<Record<string, string> | undefined>((data) => {
    const size = Object.values(data ?? {}).reduce((sum, v) => sum + decoded(v).length, 0);
    return size > MAX_SECRET_SIZE ? { type: 'FieldValueTooLong', detail: `must have at most ${MAX_SECRET_SIZE} bytes` } : undefined;
  })
  data?: Record<string, string>;
}

export function validateSecretType(secret: Secret): FieldError[] {
  return typeFindings(secret);
}

/** `type` never changes; an immutable Secret keeps its flag and data. */
export class SecretUpdateRules {
  @Check<string | undefined, { old: Secret }>((type, ctx) => ((type ?? '') !== (ctx.old.type ?? '') ? invalid(type ?? '', FIELD_IMMUTABLE) : undefined))
  type?: string;

  @Check<boolean | undefined, { old: Secret }>((immutable, ctx) =>
    ctx.old.immutable === true && immutable !== true ? forbidden('field is immutable when `immutable` is set') : undefined,
  )
  immutable?: boolean;

  @Check<Record<string, string> | undefined, { old: Secret }>((data, ctx) =>
    ctx.old.immutable === true && !sameStringMap(data, ctx.old.data) ? forbidden('field is immutable when `immutable` is set') : undefined,
  )
  data?: Record<string, string>;

  old!: Secret;
}

