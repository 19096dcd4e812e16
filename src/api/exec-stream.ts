/**
 * `kubectl exec` and `attach` over WebSocket (the channel protocols v5.channel.k8s.io down to
 * channel.k8s.io): every binary message is one byte of stream id (0 stdin, 1 stdout, 2 stderr,
 * 3 the final Status, 4 terminal resize; 255 closes a stream in v5) followed by data. The command
 * runs in the container's simulated shell. Requests the server cannot serve get the Status a real
 * one would send before upgrading.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { StatusError } from '../machinery/errors/status-error';
import type { Pod } from '../kinds/core/pod/pod.types';
import type { ResourceRegistry } from '../registry/registry';
import type { Clock } from '../simulation/clock';
import type { ContainerRuntime } from '../simulation/container-runtime';
import { containerShell } from '../simulation/shell/container-shell';
import { ExecutableNotFoundError, type SimulatedShell, type CommandResult } from '../simulation/shell/shell';
import { SHELLS, baseName } from '../simulation/shell/shell-syntax';

/** Channel protocols in the order of preference. v4 and v5 carry the final Status as JSON. */
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const CLOSE = 255;
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;
const PROMPT = '# ';
/** How often an attached program's output is looked at, in real time. */
const FOLLOW_POLL_MS = 100;

interface ExecRequest {
  pod: Pod;
  container: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
  attach: boolean;
}

function goBool(value: string | null): boolean {
  return value !== null && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

/** Checks the request as the API server and the kubelet would, before any upgrade. */
function execRequest(registry: ResourceRegistry, url: URL): ExecRequest {
  const match = PATH.exec(url.pathname);
  if (!match) throw StatusError.notFound({ group: '', resource: 'pods' }, '');
  const [, namespace, name, verb] = match.map((p) => decodeURIComponent(p));
  const pod = registry.forKind<Pod>('', 'Pod').find(namespace, name)?.object as Pod | undefined;
  if (!pod) throw StatusError.notFound({ group: '', resource: 'pods' }, name);
  const containers = pod.spec?.containers ?? [];
  let container = url.searchParams.get('container') ?? '';
  if (!container) {
    if (containers.length !== 1) {
      throw StatusError.badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`);
    }
    container = containers[0].name ?? '';
  }
  const known = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].some((c) => c.name === container);
  if (!known) throw StatusError.badRequest(`container ${container} is not valid for pod ${name}`);
  const command = url.searchParams.getAll('command');
  const attach = verb === 'attach';
  if (!attach && command.length === 0) throw StatusError.badRequest('you must specify at least 1 command');
  const state = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container)?.state;
  if (!state?.running) throw StatusError.badRequest(`unable to upgrade connection: container not found ("${container}")`);
  return { pod, container, command, stdin: goBool(url.searchParams.get('stdin')), tty: goBool(url.searchParams.get('tty')), attach };
}

function refuse(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The Status that ends the session on the error stream. */
function finalStatus(command: string[], result: CommandResult | undefined, notFound?: ExecutableNotFoundError): Record<string, unknown> {
  if (notFound) {
    const message = `error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${notFound.message}: unknown`;
    return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
  }
  if (!result || result.exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${result.exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(result.exitCode) }] },
  };
}

class ExecSession {
  private readonly shell: SimulatedShell;
  private stdinText = '';
  private line = '';
  private lastExit = 0;
  private done = false;
  private follow?: NodeJS.Timeout;
  /** Attach: the container whose main process this session is. */
  private readonly containerID?: string;
  /** Attach to a container whose main process is not an interactive shell: its output is streamed. */
  private readonly streamsOutput: boolean;

  constructor(
    private readonly ws: WebSocket,
    private readonly protocol: string,
    private readonly request: ExecRequest,
    private readonly registry: ResourceRegistry,
    private readonly clock: Clock,
    private readonly runtime: ContainerRuntime,
  ) {
    const { pod, container } = request;
    const spec = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === container) ?? {};
    const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container);
    const recorded = runtime.get(status?.containerID);
    this.containerID = status?.containerID;
    const argv = [...(spec.command ?? []), ...(spec.args ?? [])];
    this.streamsOutput = request.attach && !(argv.length === 0 ? spec.stdin || spec.tty : argv.length === 1 && SHELLS.has(baseName(argv[0])));
    const startedAt = status?.state?.running?.startedAt;
    const start = recorded ? { at: recorded.startedAt, serviceUids: recorded.serviceUids } : { at: startedAt ? Date.parse(startedAt) : clock.now().getTime() };
    this.shell = containerShell(registry, clock, pod, spec, start);
  }

  private send(channel: number, text: string): void {
    if (!text || this.ws.readyState !== this.ws.OPEN) return;
    const data = this.request.tty ? text.replace(/\r?\n/g, '\r\n') : text;
    this.ws.send(Buffer.concat([Buffer.from([this.request.tty && channel === STDERR ? STDOUT : channel]), Buffer.from(data)]));
  }

  private output(result: CommandResult): void {
    this.send(STDOUT, result.stdout);
    this.send(STDERR, result.stderr);
  }

  private finish(result?: CommandResult, notFound?: ExecutableNotFoundError): void {
    if (this.done) return;
    this.done = true;
    // An attached process's exit code is the container's, read from the pod status, not an exec failure.
    const status = finalStatus(this.request.command, this.request.attach ? undefined : result, notFound);
    // Before v4 the error stream carried only the message text, and nothing on success.
    const versioned = this.protocol.startsWith('v4') || this.protocol.startsWith('v5');
    if (versioned) this.ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(JSON.stringify(status))]));
    else if (status.status !== 'Success') this.ws.send(Buffer.concat([Buffer.from([ERROR]), Buffer.from(String(status.message))]));
    this.ws.close(1000);
    // Leaving an attached shell ends the container's main process; its kubelet takes it from there.
    if (this.request.attach && !this.streamsOutput) this.runtime.exited(this.containerID, result?.exitCode ?? 0, this.clock.now().getTime());
  }

  /** Attach to a running program: what it writes, as it writes it, until it stops. */
  private streamOutput(): void {
    let shown = 0;
    const tick = () => {
      const record = this.runtime.get(this.containerID);
      const pod = this.registry.forKind<Pod>('', 'Pod').find(this.request.pod.metadata.namespace, this.request.pod.metadata.name!)?.object as Pod | undefined;
      const running = pod?.status?.containerStatuses?.find((s) => s.name === this.request.container)?.state?.running && pod.metadata.uid === this.request.pod.metadata.uid;
      const until = running ? this.clock.now().getTime() : Infinity;
      const due = (record?.output ?? []).filter((chunk) => record!.startedAt + chunk.atMs <= until);
      for (const chunk of due.slice(shown)) this.send(chunk.stream === 'stderr' ? STDERR : STDOUT, chunk.text);
      shown = due.length;
      if (!running) {
        clearInterval(this.follow);
        this.finish({ stdout: '', stderr: '', exitCode: 0 });
      }
    };
    this.follow = setInterval(tick, FOLLOW_POLL_MS);
    tick();
  }

  private get interactive(): boolean {
    const argv = this.request.command;
    return this.request.attach || (argv.length === 1 && SHELLS.has(baseName(argv[0])));
  }

  start(): void {
    if (this.streamsOutput) return this.streamOutput();
    if (!this.request.stdin) return this.runOnce('');
    if (this.interactive && this.request.tty) this.send(STDOUT, PROMPT);
  }

  private runOnce(stdin: string): void {
    try {
      const result = this.shell.exec(this.request.command, stdin);
      this.output(result);
      this.finish(result);
    } catch (err) {
      if (err instanceof ExecutableNotFoundError) return this.finish(undefined, err);
      throw err;
    }
  }

  /** One line typed into an interactive shell. */
  private runLine(line: string): void {
    const result = this.shell.script(line);
    this.output(result);
    this.lastExit = result.exitCode;
    if (/^\s*exit\b/.test(line)) return this.finish(result);
    if (this.request.tty) this.send(STDOUT, PROMPT);
  }

  private endOfInput(): void {
    if (this.done) return;
    if (!this.interactive) return this.runOnce(this.stdinText);
    if (this.line.trim()) this.runLine(this.line);
    this.finish({ stdout: '', stderr: '', exitCode: this.lastExit });
  }

  receive(data: Buffer): void {
    if (this.done || data.length === 0 || this.streamsOutput) return;
    const channel = data[0];
    if (channel === CLOSE && data[1] === STDIN) return this.endOfInput();
    if (channel !== STDIN) return;
    const text = data.subarray(1).toString('utf8');
    if (!this.interactive) {
      this.stdinText += text;
      return;
    }
    for (const ch of text) {
      if (this.done) return;
      if (this.request.tty) {
        if (ch === '\r' || ch === '\n') {
          this.send(STDOUT, '\n');
          const line = this.line;
          this.line = '';
          this.runLine(line);
        } else if (ch === '\x7f' || ch === '\b') {
          if (this.line) {
            this.line = this.line.slice(0, -1);
            this.send(STDOUT, '\b \b');
          }
        } else if (ch === '\x04') {
          if (!this.line) return this.endOfInput();
        } else if (ch === '\x03') {
          this.line = '';
          this.send(STDOUT, `^C\n${PROMPT}`);
        } else {
          this.line += ch;
          this.send(STDOUT, ch);
        }
      } else if (ch === '\n') {
        const line = this.line;
        this.line = '';
        this.runLine(line);
      } else this.line += ch;
    }
  }

  closed(): void {
    this.done = true;
    clearInterval(this.follow);
  }
}

/** Serves exec and attach upgrades on the HTTP server; other upgrade requests are refused. */
export function serveExecStreams(server: Server, registry: ResourceRegistry, clock: Clock, runtime: ContainerRuntime): void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let request: ExecRequest;
    try {
      request = execRequest(registry, new URL(req.url ?? '/', 'http://localhost'));
      const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket' || !PROTOCOLS.some((p) => offered.includes(p))) {
        throw StatusError.badRequest('unable to upgrade connection: only WebSocket channel protocols (v4.channel.k8s.io, v5.channel.k8s.io) are served');
      }
    } catch (err) {
      return refuse(socket, err instanceof StatusError ? err : StatusError.internal((err as Error).message));
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new ExecSession(ws, ws.protocol, request, registry, clock, runtime);
      ws.on('message', (data: Buffer) => session.receive(data));
      ws.on('close', () => session.closed());
      ws.on('error', () => session.closed());
      session.start();
    });
  });
}
