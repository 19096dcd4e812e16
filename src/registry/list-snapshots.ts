import { randomBytes } from 'node:crypto';
import { StatusError } from '../machinery/errors/status-error';
import type { CachedObject } from '../storage/watch-cache';
import type { ListResult } from './generic-store';

interface Snapshot {
  resourceKey: string;
  items: CachedObject[];
  resourceVersion: string;
  countRemaining: boolean;
  createdAt: number;
}

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
  /** Which snapshot this token pages through; ours, not the real server's. */
  snap: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

/**
 * Paginated lists page through the list as it was when the first page was served: the items of
 * that moment are kept (references to immutable cached objects, so cheap) until the client has
 * paged through them or they expire — the consistency etcd gives the real server by reading at a
 * fixed revision.
 */
export class ListSnapshots {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxSnapshots = 256,
  ) {}

  first(resourceKey: string, items: CachedObject[], resourceVersion: string, limit: number, countRemaining: boolean): ListResult {
    this.evict();
    const id = randomBytes(9).toString('base64url');
    this.snapshots.set(id, { resourceKey, items, resourceVersion, countRemaining, createdAt: Date.now() });
    return this.page(id, this.snapshots.get(id)!, 0, limit);
  }

  next(resourceKey: string, token: string, limit: number | undefined): ListResult {
    const decoded = decodeToken(token);
    const snapshot = this.snapshots.get(decoded.snap);
    if (!snapshot || snapshot.resourceKey !== resourceKey) {
      throw StatusError.gone(
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
      );
    }
    const offset = lowerBound(snapshot.items, decoded.start);
    return this.page(decoded.snap, snapshot, offset, limit && limit > 0 ? limit : snapshot.items.length);
  }

  private page(id: string, snapshot: Snapshot, offset: number, limit: number): ListResult {
    const items = snapshot.items.slice(offset, offset + limit);
    const rest = snapshot.items.length - offset - items.length;
    if (rest <= 0) {
      this.snapshots.delete(id);
      return { items, resourceVersion: snapshot.resourceVersion };
    }
    const last = items[items.length - 1];
    const token: ContinueToken = { v: TOKEN_VERSION, rv: Number(snapshot.resourceVersion), start: `${last.key}\u0000`, snap: id };
    return {
      items,
      resourceVersion: snapshot.resourceVersion,
      continueToken: Buffer.from(JSON.stringify(token)).toString('base64url'),
      remainingItemCount: snapshot.countRemaining ? rest : undefined,
    };
  }

  private evict(): void {
    const now = Date.now();
    for (const [id, snap] of this.snapshots) if (now - snap.createdAt > this.ttlMs) this.snapshots.delete(id);
    while (this.snapshots.size >= this.maxSnapshots) this.snapshots.delete(this.snapshots.keys().next().value!);
  }
}

function decodeToken(token: string): ContinueToken {
  let parsed: Partial<ContinueToken>;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<ContinueToken>;
  } catch {
    throw StatusError.badRequest('continue key is not valid: illegal base64 data at input byte 0');
  }
  if (parsed.v !== TOKEN_VERSION) throw StatusError.badRequest('continue key is not valid: server does not recognize this encoded key');
  if (typeof parsed.start !== 'string' || typeof parsed.snap !== 'string' || typeof parsed.rv !== 'number') {
    throw StatusError.badRequest('continue key is not valid: encoded key is missing fields');
  }
  return parsed as ContinueToken;
}

/** First index whose key is ≥ `key` (items are sorted by key). */
function lowerBound(items: CachedObject[], key: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
