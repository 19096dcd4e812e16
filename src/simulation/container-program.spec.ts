import { containerProgram } from './container-program';

describe('containerProgram', () => {
  it('reads sleep, exit, true and false, directly and through a shell', () => {
    expect(containerProgram({ image: 'busybox', command: ['sleep', '30'] })).toEqual({ seconds: 30, exitCode: 0 });
    expect(containerProgram({ image: 'busybox', command: ['/bin/sh', '-c'], args: ['echo hello; sleep 2.5; exit 3'] })).toEqual({ seconds: 2.5, exitCode: 3 });
    expect(containerProgram({ image: 'busybox', command: ['sh', '-c', 'true && false'] })).toEqual({ seconds: 0, exitCode: 1 });
    expect(containerProgram({ image: 'busybox', command: ['sh', '-c', "echo 'a; b' ; exit 0"] })).toEqual({ seconds: 0, exitCode: 0 });
    expect(containerProgram({ image: 'busybox', command: ['false'] })).toEqual({ seconds: 0, exitCode: 1 });
  });

  it('runs servers, unknown commands and endless loops until stopped', () => {
    expect(containerProgram({ image: 'nginx' })).toBeUndefined();
    expect(containerProgram({ image: 'redis:7', args: ['redis-server'] })).toBeUndefined();
    expect(containerProgram({ image: 'busybox', command: ['sh', '-c', 'while true; do sleep 1; done'] })).toBeUndefined();
    expect(containerProgram({ image: 'busybox', command: ['sleep', 'infinity'] })).toBeUndefined();
  });

  it('lets a shell image without a command exit at once, unless a terminal keeps it open', () => {
    expect(containerProgram({ image: 'docker.io/library/busybox:1.36' })).toEqual({ seconds: 0, exitCode: 0 });
    expect(containerProgram({ image: 'ubuntu', stdin: true, tty: true })).toBeUndefined();
  });

  it('knows the pi job of the Job documentation', () => {
    expect(containerProgram({ image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] })).toEqual({ seconds: 5, exitCode: 0 });
  });
});
