/**
 * Shared pieces of the server-side Table output (meta.k8s.io/v1 Table) that every kind's printer
 * needs: the NAME and AGE columns, the `<none>`/`<unknown>` placeholders and the age text the real
 * printers produce with k8s.io/apimachinery/pkg/util/duration.HumanDuration.
 */
import type { TableColumn, TableDeclaration } from '../../registry/resource-type';
import type { KubeObject } from '../meta/types';

/** Printed where a value is absent but the column applies (an unscheduled pod's NODE). */
export const NONE = '<none>';
/** Printed where a time or version cannot be known (no creationTimestamp, empty nodeInfo). */
export const UNKNOWN = '<unknown>';

/** kubectl relies on `format: "name"` to print `pod/x` style names (e.g. in `get all`). */
export const NAME_COLUMN: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name of the object, unique within its namespace (or the cluster for cluster-scoped kinds).',
};

export const AGE_COLUMN: TableColumn = {
  name: 'Age',
  type: 'string',
  description: 'Time since the object was created (metadata.creationTimestamp).',
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The age text of HumanDuration: about two or three significant figures ("5s", "3m2s", "10m",
 * "5h10m", "2d3h", "400d", "2y30d", "8y"). Go truncates each unit toward zero, and so does this.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  // A clock that is a second ahead of the writer still reads as "just now"; more than that is a bug.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const years = Math.trunc(hours / 24 / 365);
    const days = Math.trunc(hours / 24) % 365;
    return days === 0 ? `${years}y` : `${years}y${days}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Milliseconds since the epoch, or undefined for an absent or unparsable timestamp. */
export function parseTimestamp(timestamp: string | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

/** translateTimestampSince: the age of a timestamp, `<unknown>` when it is not set. */
export function timestampSince(timestamp: string | null | undefined, now: Date): string {
  const ms = parseTimestamp(timestamp);
  return ms === undefined ? UNKNOWN : humanDuration(now.getTime() - ms);
}

/** The AGE cell of an object. */
export function ageCell(creationTimestamp: string | null | undefined, now: Date): string {
  return timestampSince(creationTimestamp, now);
}

/** `value` unless it is empty, then the placeholder (the printers' `if x == "" { x = "<none>" }`). */
export function orNone(value: string | null | undefined, placeholder: string = NONE): string {
  return value ? value : placeholder;
}

/** Go's time.Time{}.UTC().Format(time.RFC3339) for an unset creationTimestamp. */
const ZERO_TIME_RFC3339 = '0001-01-01T00:00:00Z';

/** RFC 3339 in UTC with whole seconds, the way Go formats metav1.Time. */
export function rfc3339(timestamp: string | null | undefined): string {
  const ms = parseTimestamp(timestamp);
  if (ms === undefined) return ZERO_TIME_RFC3339;
  return new Date(Math.floor(ms / SECOND) * SECOND).toISOString().replace('.000Z', 'Z');
}

export const CREATED_AT_COLUMN: TableColumn = {
  name: 'Created At',
  type: 'date',
  description: 'Time the object was created (metadata.creationTimestamp).',
};

/**
 * The apiserver's default table convertor, used for kinds without a printer of their own (and for
 * custom resources without additionalPrinterColumns): NAME and CREATED AT, the latter a date string
 * rather than an age.
 */
export function defaultTable<T extends KubeObject = KubeObject>(): TableDeclaration<T> {
  return {
    columns: [NAME_COLUMN, CREATED_AT_COLUMN],
    cells: (obj) => [obj.metadata?.name ?? '', rfc3339(obj.metadata?.creationTimestamp)],
  };
}
