import { StatusError } from '../machinery/errors/status-error';

export type Query = Record<string, string | string[] | undefined>;

/** One value of a query parameter (the first, when repeated). */
export function queryValue(query: Query, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] : value;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Booleans as Go's strconv.ParseBool reads them: clients send `true`, `True`, `1`... */
export function queryBool(query: Query, name: string): boolean | undefined {
  const value = queryValue(query, name);
  if (value === undefined) return undefined;
  if (value === '') return true;
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  throw StatusError.badRequest(`invalid boolean value for ${name}: strconv.ParseBool: parsing "${value}": invalid syntax`);
}

export function queryInt(query: Query, name: string): number | undefined {
  const value = queryValue(query, name);
  if (value === undefined || value === '') return undefined;
  if (!/^-?\d+$/.test(value)) throw StatusError.badRequest(`invalid value for ${name}: strconv.ParseInt: parsing "${value}": invalid syntax`);
  return Number(value);
}
