/** What a URL under /api or /apis addresses, as the apiserver's RequestInfoFactory works it out. */
export interface RequestInfo {
  /** "api" (core) or "apis". */
  prefix: 'api' | 'apis';
  group: string;
  /** Absent for /apis and /apis/<group> discovery. */
  version?: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
  /** The legacy /watch/ path segment was used. */
  watchPath: boolean;
}

/** Parses the path below /api or /apis; returns undefined for paths that name nothing servable. */
export function parseRequestPath(path: string): RequestInfo | undefined {
  const segments = path.split('?')[0].split('/').filter((p) => p.length > 0);
  const parts = path.includes('%') ? segments.map(decodeURIComponent) : segments;
  const prefix = parts.shift();
  if (prefix !== 'api' && prefix !== 'apis') return undefined;
  const info: RequestInfo = { prefix, group: '', watchPath: false };
  if (prefix === 'apis') {
    const group = parts.shift();
    if (group === undefined) return info;
    info.group = group;
  }
  info.version = parts.shift();
  if (info.version === undefined) return info;
  if (parts[0] === 'watch') {
    info.watchPath = true;
    parts.shift();
  }
  // namespaces/<ns>/<resource>... addresses a namespaced resource, but namespaces/<ns> and
  // namespaces/<ns>/{status,finalize} address the Namespace object itself.
  if (parts[0] === 'namespaces' && parts.length >= 3 && !(parts.length === 3 && (parts[2] === 'status' || parts[2] === 'finalize'))) {
    info.namespace = parts[1];
    parts.splice(0, 2);
  }
  info.resource = parts[0];
  info.name = parts[1];
  info.subresource = parts[2];
  if (parts.length > 3) return undefined;
  return info;
}
