/**
 * What a simulated container writes to its log, decided when it starts: the output of its
 * command run through the simulated shell (echo, env, cat of mounted files, the pi job...), with
 * the offsets its sleeps put between the lines, or the start-up lines of a well-known server image.
 */
import type { Container, Pod } from '../kinds/core/pod/pod.types';
import type { ResourceRegistry } from '../registry/registry';
import type { Clock } from './clock';
import type { ContainerStart } from './shell/container-environment';
import { containerShell } from './shell/container-shell';
import type { OutputChunk } from './shell/shell';
import { shellScript, usesControlFlow } from './shell/shell-syntax';
import { imageName } from './images';

/** nginx's entrypoint announces itself before the server starts; the stamps are its start time. */
function nginxStartup(start: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${start.getUTCFullYear()}/${p(start.getUTCMonth() + 1)}/${p(start.getUTCDate())} ${p(start.getUTCHours())}:${p(start.getUTCMinutes())}:${p(start.getUTCSeconds())}`;
  return [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    `${stamp} [notice] 1#1: using the "epoll" event method`,
    `${stamp} [notice] 1#1: start worker processes`,
    '',
  ].join('\n');
}

export function containerOutput(registry: ResourceRegistry, clock: Clock, pod: Pod, container: Container, start: ContainerStart): OutputChunk[] {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (argv.length === 0) {
    return imageName(container.image) === 'nginx' ? [{ atMs: 0, stream: 'stdout', text: nginxStartup(new Date(start.at)) }] : [];
  }
  const shell = containerShell(registry, clock, pod, container, start);
  const timeline: OutputChunk[] = [];
  const script = shellScript(argv);
  // A loop's output depends on what it loops over; rather nothing than a wrong log.
  if (script !== undefined && usesControlFlow(script)) return [];
  if (script !== undefined) {
    shell.script(script, '', timeline);
    return timeline;
  }
  const result = shell.command(argv);
  // A command the simulation does not know writes nothing it could tell.
  if (result.exitCode === 127) return [];
  if (result.stdout) timeline.push({ atMs: 0, stream: 'stdout', text: result.stdout });
  if (result.stderr) timeline.push({ atMs: 0, stream: 'stderr', text: result.stderr });
  return timeline;
}
