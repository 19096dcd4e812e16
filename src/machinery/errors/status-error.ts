/**
 * Kubernetes `Status` errors. Every failure the API returns is one of these; the messages follow
 * k8s.io/apimachinery/pkg/api/errors so clients that compare text see what a real server says.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A resource named the way errors name it: the plural resource plus its group. */
export interface GroupResource {
  group: string;
  resource: string;
}

export type FieldErrorType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueTypeInvalid';

const FIELD_ERROR_TEXT: Record<FieldErrorType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Error types whose message leaves out the offending value, as field.Error.ErrorBody does. */
const OMITS_VALUE = new Set<FieldErrorType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'FieldValueTooMany']);

/** One problem at one field path, like k8s.io/apimachinery/pkg/util/validation/field.Error. */
export class FieldError {
  constructor(
    readonly type: FieldErrorType,
    readonly field: string,
    readonly value?: unknown,
    readonly detail?: string,
  ) {}

  static required(field: string, detail?: string): FieldError {
    return new FieldError('FieldValueRequired', field, undefined, detail);
  }
  static invalid(field: string, value: unknown, detail?: string): FieldError {
    return new FieldError('FieldValueInvalid', field, value, detail);
  }
  static notSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
    const detail = supported.length ? `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : undefined;
    return new FieldError('FieldValueNotSupported', field, value, detail);
  }
  static forbidden(field: string, detail: string): FieldError {
    return new FieldError('FieldValueForbidden', field, undefined, detail);
  }
  static duplicate(field: string, value: unknown): FieldError {
    return new FieldError('FieldValueDuplicate', field, value);
  }
  static tooLong(field: string, maxLength: number): FieldError {
    return new FieldError('FieldValueTooLong', field, undefined, `must have at most ${maxLength} bytes`);
  }
  static tooMany(field: string, actual: number, max: number): FieldError {
    return new FieldError('FieldValueTooMany', field, actual, `must have at most ${max} items`);
  }
  static typeInvalid(field: string, value: unknown, detail: string): FieldError {
    return new FieldError('FieldValueTypeInvalid', field, value, detail);
  }
  static notFound(field: string, value: unknown): FieldError {
    return new FieldError('FieldValueNotFound', field, value);
  }

  /** The message without the field path (what a StatusCause carries). */
  body(): string {
    let text = FIELD_ERROR_TEXT[this.type];
    if (!OMITS_VALUE.has(this.type) && this.value !== undefined) text += `: ${formatFieldValue(this.value)}`;
    if (this.detail) text += `: ${this.detail}`;
    return text;
  }

  toString(): string {
    return `${this.field}: ${this.body()}`;
  }
}

/** A value already written as Go's %#v prints it, for values JSON cannot mimic (`[]string{"a", "b"}`). */
export class GoSyntax {
  constructor(readonly text: string) {}

  static stringSlice(values: readonly string[]): GoSyntax {
    return new GoSyntax(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`);
  }
}

/** Values print like Go's %#v for the simple cases validation reports. */
function formatFieldValue(value: unknown): string {
  if (value instanceof GoSyntax) return value.text;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    // Key order matters to clients that compare bodies as text: message, reason, details, code.
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      ...(this.reason || this.details ? { reason: this.reason } : {}),
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }

  static notFound(gr: GroupResource, name: string): StatusError {
    return new StatusError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, detailsOf(gr, name));
  }
  static alreadyExists(gr: GroupResource, name: string): StatusError {
    return new StatusError(409, 'AlreadyExists', `${qualified(gr)} "${name}" already exists`, detailsOf(gr, name));
  }
  static conflict(gr: GroupResource, name: string, why: string): StatusError {
    return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`, detailsOf(gr, name));
  }
  static optimisticLock(gr: GroupResource, name: string): StatusError {
    return StatusError.conflict(gr, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  /** `kind` here is the Kind (e.g. "Pod"), as errors.NewInvalid takes a GroupKind. */
  static invalid(group: string, kind: string, name: string, errors: FieldError[]): StatusError {
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    const list = errors.map((e) => e.toString());
    const text = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    const causes = errors.map((e) => ({ reason: e.type, message: e.body(), field: e.field }));
    const details: StatusDetails = { name, ...(group ? { group } : {}), kind, causes };
    return new StatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${text}`, details);
  }
  static badRequest(message: string): StatusError {
    return new StatusError(400, 'BadRequest', message);
  }
  static forbidden(gr: GroupResource, name: string, why: string): StatusError {
    return new StatusError(403, 'Forbidden', `${qualified(gr)} "${name}" is forbidden: ${why}`, detailsOf(gr, name));
  }
  static methodNotAllowed(): StatusError {
    return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  static gone(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  }
  static tooLarge(limit: number): StatusError {
    return new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
  }
  static unsupportedMediaType(): StatusError {
    return new StatusError(
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
    );
  }
  static notAcceptable(): StatusError {
    return new StatusError(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  }
  static tooManyRequests(message: string, retryAfterSeconds: number): StatusError {
    return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
  }
  static internal(message: string): StatusError {
    return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
  }
  static timeout(message: string, retryAfterSeconds: number): StatusError {
    return new StatusError(504, 'Timeout', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
  }
}

function detailsOf(gr: GroupResource, name: string): StatusDetails {
  return gr.group ? { name, group: gr.group, kind: gr.resource } : { name, kind: gr.resource };
}
