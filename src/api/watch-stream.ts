import type { FastifyReply } from 'fastify';
import { StatusError } from '../machinery/errors/status-error';
import type { GenericStore } from '../registry/generic-store';
import type { ListOptions } from '../registry/list-options';
import { canEncode, encodeProtobufObject, encodeWatchEvent, PROTOBUF_WATCH_MEDIA_TYPE } from '../machinery/protobuf';
import type { CachedObject, WatcherEvent } from '../storage/watch-cache';
import type { OutputRenderer, Rendering } from './output';

/** A watcher whose socket buffers more than this is too slow to keep; the real server drops those too. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 30_000;
const ENVELOPES = new WeakMap<CachedObject, Buffer>();
/** Without timeoutSeconds the real server ends watches after a random 30–60 minutes. */
const DEFAULT_TIMEOUT_S = 1800;

/**
 * One `?watch=1` response: a chunked stream of `{"type":...,"object":...}` lines. Ends when the
 * client goes away, when timeoutSeconds pass, or when the watcher falls too far behind.
 */
export class WatchStream {
  private stop?: () => void;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private sentTableHeader = false;

  constructor(
    private readonly reply: FastifyReply,
    private readonly store: GenericStore,
    private readonly renderer: OutputRenderer,
    private readonly rendering: Rendering,
    private readonly opts: ListOptions,
  ) {}

  async start(namespace: string | undefined): Promise<void> {
    const buffered: WatcherEvent[] = [];
    let started = false;
    let stop: () => void;
    try {
      stop = await this.store.watch(namespace, this.opts, {
        push: (event) => (started ? this.write(event) : buffered.push(event)),
      });
    } catch (err) {
      // Too old a resourceVersion is reported inside the stream, as the watch cache does.
      if (err instanceof StatusError && err.code === 410) {
        this.open();
        this.writeLine({ type: 'ERROR', object: { ...err.toStatus() } });
        this.end();
        return;
      }
      throw err;
    }
    this.stop = stop;
    this.open();
    started = true;
    for (const event of buffered) this.write(event);
    if (this.opts.sendInitialEvents && this.opts.allowWatchBookmarks) this.bookmark(true);
    const raw = this.reply.raw;
    // Node: the stream ends when the response closes (client gone), not when the request body ends.
    raw.on('close', () => this.end());
    const timeout = this.opts.timeoutSeconds && this.opts.timeoutSeconds > 0 ? this.opts.timeoutSeconds : DEFAULT_TIMEOUT_S * (1 + Math.random());
    this.timers.push(setTimeout(() => this.end(), timeout * 1000));
    if (this.opts.allowWatchBookmarks) this.timers.push(setInterval(() => this.bookmark(false), BOOKMARK_INTERVAL_MS));
  }

  private open(): void {
    this.reply.hijack();
    const raw = this.reply.raw;
    raw.writeHead(200, {
      'Content-Type': this.protobuf ? PROTOBUF_WATCH_MEDIA_TYPE : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    raw.flushHeaders();
  }

  private get protobuf(): boolean {
    return this.rendering.output.encoding === 'protobuf';
  }

  private write(event: WatcherEvent): void {
    if (this.closed) return;
    const { type } = event;
    const object = event.object.object;
    if (this.protobuf && canEncode(String(object.apiVersion), String(object.kind))) {
      // One envelope per cached revision, shared by every protobuf watcher.
      let envelope = ENVELOPES.get(event.object);
      if (!envelope) ENVELOPES.set(event.object, (envelope = encodeProtobufObject(object)));
      this.writeRaw(encodeWatchEvent(type, envelope));
      return;
    }
    if (this.rendering.output.shape === 'Table') {
      const table = this.renderer.table(this.store, [object], String(object.metadata.resourceVersion ?? ''), undefined, this.rendering, !this.sentTableHeader);
      if (!this.sentTableHeader) this.sentTableHeader = true;
      else table.columnDefinitions = null;
      this.writeLine({ type, object: table });
      return;
    }
    if (this.rendering.output.shape === 'PartialObjectMetadata' || this.rendering.output.shape === 'PartialObjectMetadataList') {
      this.writeLine({ type, object: { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${this.rendering.output.metaVersion}`, metadata: object.metadata } });
      return;
    }
    // The object's JSON is cached once per revision and shared by every watcher.
    this.writeRaw(`{"type":"${type}","object":${event.object.json()}}\n`);
  }

  private bookmark(initialEventsEnd: boolean): void {
    const metadata: Record<string, unknown> = { resourceVersion: String(this.store.currentRevision()), creationTimestamp: null };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    this.writeLine({ type: 'BOOKMARK', object: { kind: this.store.type.kind, apiVersion: this.store.apiVersion, metadata } });
  }

  private writeLine(event: { type: string; object: Record<string, unknown> }): void {
    if (this.protobuf) this.writeRaw(encodeWatchEvent(event.type, event.object));
    else this.writeRaw(JSON.stringify(event) + '\n');
  }

  private writeRaw(line: string | Buffer): void {
    if (this.closed) return;
    const raw = this.reply.raw;
    raw.write(line);
    if (raw.writableLength > MAX_BUFFERED_BYTES) this.end();
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.stop?.();
    for (const t of this.timers) clearTimeout(t);
    if (!this.reply.raw.writableEnded) this.reply.raw.end();
  }
}
