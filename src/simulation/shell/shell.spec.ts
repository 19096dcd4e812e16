import { parseShell } from './shell-syntax';
import { serviceLinkVariables, type ContainerEnvironment } from './container-environment';
import { ExecutableNotFoundError, SimulatedShell } from './shell';

const environment: ContainerEnvironment = {
  env: [
    ['PATH', '/bin'],
    ['HOSTNAME', 'web'],
    ['APP_SERVICE_HOST', '10.96.0.20'],
    ['MODE', 'fast'],
  ],
  files: new Map([
    ['/etc/config/level', 'debug'],
    ['/etc/config/mode', 'fast\n'],
    ['/etc/hostname', 'web\n'],
  ]),
  hostname: 'web',
  namespace: 'default',
};

const shell = new SimulatedShell({
  environment,
  resolve: (fqdn) => (fqdn === 'app.default.svc.cluster.local' ? ['10.96.0.20'] : undefined),
  answersPing: (ip) => ip === '10.244.1.5',
  dnsServer: '10.96.0.10',
  now: () => new Date('2026-12-05T09:05:06Z'),
});

describe('shell syntax', () => {
  it('splits lists and pipelines, honours quotes and expands variables outside single quotes', () => {
    expect(parseShell(`echo "a; b" 'c | d' && env | grep X || exit 2; echo $MODE '$MODE' "\${MODE}x"`, { MODE: 'fast' })).toEqual([
      { join: ';', pipeline: [['echo', 'a; b', 'c | d']] },
      { join: '&&', pipeline: [['env'], ['grep', 'X']] },
      { join: '||', pipeline: [['exit', '2']] },
      { join: ';', pipeline: [['echo', 'fast', '$MODE', 'fastx']] },
    ]);
  });
});

describe('simulated shell', () => {
  it('answers env, printenv, cat, ls, hostname and date from the environment', () => {
    expect(shell.exec(['printenv', 'MODE']).stdout).toBe('fast\n');
    expect(shell.exec(['sh', '-c', 'env | grep SERVICE']).stdout).toBe('APP_SERVICE_HOST=10.96.0.20\n');
    expect(shell.exec(['cat', '/etc/config/level']).stdout).toBe('debug');
    expect(shell.exec(['ls', '/etc/config']).stdout).toBe('level\nmode\n');
    expect(shell.exec(['ls', '/etc']).stdout).toBe('config\nhostname\n');
    expect(shell.exec(['cat', '/nope'])).toEqual({ stdout: '', stderr: 'cat: /nope: No such file or directory\n', exitCode: 1 });
    expect(shell.exec(['hostname']).stdout).toBe('web\n');
    expect(shell.exec(['date']).stdout).toBe('Sat Dec  5 09:05:06 UTC 2026\n');
  });

  it('runs lists with && and ||, pipelines and exit codes', () => {
    expect(shell.exec(['sh', '-c', 'false && echo no || echo yes; exit 4'])).toEqual({ stdout: 'yes\n', stderr: '', exitCode: 4, seconds: 0 });
    expect(shell.exec(['sh', '-c', 'env | sort | head -n 1']).stdout).toBe('APP_SERVICE_HOST=10.96.0.20\n');
    expect(shell.exec(['sh', '-c', 'cat /etc/config/mode | wc -l']).stdout).toBe('1\n');
    expect(shell.exec(['sh', '-c', 'nosuch']).exitCode).toBe(127);
    expect(() => shell.exec(['nosuch'])).toThrow(ExecutableNotFoundError);
  });

  it('looks names up through the search path', () => {
    expect(shell.exec(['nslookup', 'app']).stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tapp.default.svc.cluster.local\nAddress: 10.96.0.20\n\n');
    expect(shell.exec(['nslookup', 'other']).exitCode).toBe(1);
  });
});

describe('service link variables', () => {
  it('names them as the kubelet does for the seed tomcat-service', () => {
    const vars = serviceLinkVariables({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'tomcat-service' },
      spec: { clusterIP: '169.169.1.2', ports: [{ name: 'web', port: 8080, protocol: 'TCP' }] },
    });
    expect(vars).toEqual([
      ['TOMCAT_SERVICE_SERVICE_HOST', '169.169.1.2'],
      ['TOMCAT_SERVICE_SERVICE_PORT', '8080'],
      ['TOMCAT_SERVICE_SERVICE_PORT_WEB', '8080'],
      ['TOMCAT_SERVICE_PORT', 'tcp://169.169.1.2:8080'],
      ['TOMCAT_SERVICE_PORT_8080_TCP', 'tcp://169.169.1.2:8080'],
      ['TOMCAT_SERVICE_PORT_8080_TCP_PROTO', 'tcp'],
      ['TOMCAT_SERVICE_PORT_8080_TCP_PORT', '8080'],
      ['TOMCAT_SERVICE_PORT_8080_TCP_ADDR', '169.169.1.2'],
    ]);
    expect(serviceLinkVariables({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'h' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } })).toEqual([]);
  });
});

describe('timelines and redirections', () => {
  it('records output at the time a script writes it, sleeping included', () => {
    const timeline: import('./shell').OutputChunk[] = [];
    const result = shell.script('echo start; sleep 2; echo done >&2; sleep 0.5; echo end 2>/dev/null', '', timeline);
    expect(result).toEqual({ stdout: 'start\nend\n', stderr: 'done\n', exitCode: 0, seconds: 2.5 });
    expect(timeline).toEqual([
      { atMs: 0, stream: 'stdout', text: 'start\n' },
      { atMs: 2000, stream: 'stderr', text: 'done\n' },
      { atMs: 2500, stream: 'stdout', text: 'end\n' },
    ]);
    expect(shell.script('cat /nope 2>&1 | wc -l').stdout).toBe('1\n');
  });

  it('prints pi as the Job example does', () => {
    expect(shell.exec(['perl', '-Mbignum=bpi', '-wle', 'print bpi(20)']).stdout).toBe('3.1415926535897932385\n');
    expect(shell.exec(['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)']).stdout).toMatch(/^3\.14159265358979323846264338327950288419716939937510[0-9]{1949}\n$/);
  });
});

describe('control flow', () => {
  it('says plainly that loops and conditionals are not simulated', () => {
    expect(shell.exec(['sh', '-c', 'for i in 1 2; do echo $i; done'])).toEqual({ stdout: '', stderr: "sh: loops and conditionals are not simulated by kubemu's shell\n", exitCode: 2 });
    expect(shell.exec(['sh', '-c', 'echo "while in a string is fine"']).stdout).toBe('while in a string is fine\n');
  });
});

describe('ping', () => {
  it('gets replies from pods but none from a cluster IP, which is virtual', () => {
    const pod = shell.exec(['ping', '-c', '2', '10.244.1.5']);
    expect(pod.exitCode).toBe(0);
    expect(pod.stdout).toContain('2 packets transmitted, 2 packets received, 0% packet loss');
    const service = shell.exec(['ping', '-c', '3', 'app']);
    expect(service.exitCode).toBe(1);
    expect(service.stdout).toBe('PING app (10.96.0.20): 56 data bytes\n\n--- app ping statistics ---\n3 packets transmitted, 0 packets received, 100% packet loss\n');
    expect(shell.exec(['ping', 'nowhere'])).toMatchObject({ stderr: "ping: bad address 'nowhere'\n", exitCode: 1 });
  });
});
