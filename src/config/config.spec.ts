import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to what kubectl and a kubeadm-made cluster expect', () => {
    const config = loadConfig([], {});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      sqliteSynchronous: 'FULL',
      nodes: 3,
      serviceClusterIPRange: '10.96.0.0/12',
      serviceNodePortRange: { min: 30000, max: 32767 },
    });
  });

  it('reads flags before the environment', () => {
    const config = loadConfig(['--service-cluster-ip-range', '169.169.0.0/16', '--service-node-port-range=31000-31999'], { KUBEMU_SERVICE_CLUSTER_IP_RANGE: '10.0.0.0/24' });
    expect(config.serviceClusterIPRange).toBe('169.169.0.0/16');
    expect(config.serviceNodePortRange).toEqual({ min: 31000, max: 31999 });
    expect(loadConfig([], { KUBEMU_SERVICE_NODE_PORT_RANGE: '20000-20100' }).serviceNodePortRange).toEqual({ min: 20000, max: 20100 });
  });

  it.each([
    [['--service-cluster-ip-range', '10.0.0.0/8'], 'service-cluster-ip-range must be an IPv4 CIDR from /12 to /30, got 10.0.0.0/8'],
    [['--service-cluster-ip-range', '300.1.0.0/16'], 'service-cluster-ip-range must be an IPv4 CIDR from /12 to /30, got 300.1.0.0/16'],
    [['--service-node-port-range', '32767-30000'], 'service-node-port-range must be MIN-MAX within 1-65535, got 32767-30000'],
    [['--service-node-port-range', 'lots'], 'service-node-port-range must be MIN-MAX within 1-65535, got lots'],
    [['--nodes', '-1'], 'nodes must be 0-1000, got -1'],
    [['--bogus'], 'unknown flag --bogus'],
  ])('refuses %j', (argv, message) => {
    expect(() => loadConfig(argv, {})).toThrow(ConfigError);
    expect(() => loadConfig(argv, {})).toThrow(message);
  });
});
