import { validateService, validateServiceUpdate } from './service.validation';
import type { Service, ServicePort, ServiceSpec } from './service.types';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());

const port = (extra: Partial<ServicePort> = {}): ServicePort => ({ protocol: 'TCP', port: 80, targetPort: 8080, ...extra });

/** A Service as validation sees it: defaulted, and with its cluster IP allocated. */
function svc(spec: Partial<ServiceSpec> = {}): Service {
  const type = spec.type ?? 'ClusterIP';
  const base: ServiceSpec =
    type === 'ExternalName'
      ? { type, externalName: 'db.example.com', sessionAffinity: 'None' }
      : {
          type,
          ports: [port()],
          selector: { app: 'web' },
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
          ...(type === 'NodePort' || type === 'LoadBalancer' ? { externalTrafficPolicy: 'Cluster' } : {}),
          ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: true } : {}),
        };
  return { metadata: { name: 'web', namespace: 'default' }, spec: { ...base, ...spec } };
}

const validate = (spec: Partial<ServiceSpec>) => text(validateService(svc(spec)));
const update = (spec: Partial<ServiceSpec>, old: Partial<ServiceSpec>) => text(validateServiceUpdate(svc(spec), svc(old)));

const nodePortPorts = [port({ name: 'http', nodePort: 30080 }), port({ name: 'https', port: 443, targetPort: 8443, nodePort: 30443 })];

describe('validateService: valid services', () => {
  it('accepts ClusterIP, NodePort, LoadBalancer, headless, dual-stack and ExternalName services', () => {
    expect(validate({})).toEqual([]);
    expect(validate({ type: 'NodePort', ports: nodePortPorts })).toEqual([]);
    expect(validate({ type: 'LoadBalancer', ports: nodePortPorts, externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 })).toEqual([]);
    expect(validate({ clusterIP: 'None', clusterIPs: ['None'], ports: [] })).toEqual([]);
    expect(
      validate({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10', 'fd00::a'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' }),
    ).toEqual([]);
    expect(validate({ type: 'ExternalName' })).toEqual([]);
    expect(validate({ type: 'ExternalName', externalName: 'db.example.com.', ports: [port()] })).toEqual([]);
    expect(validate({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86400 } } })).toEqual([]);
    expect(validate({ externalIPs: ['192.0.2.10'], externalTrafficPolicy: 'Cluster', ports: [port({ targetPort: 'http', appProtocol: 'kubernetes.io/h2c' })] })).toEqual([]);
  });
});

describe('validateService: type and ports', () => {
  it('rejects an unknown type with the sorted list', () => {
    expect(validate({ type: 'Internal' })).toEqual([
      'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
  });

  it('requires ports unless headless or ExternalName', () => {
    expect(validate({ ports: [] })).toEqual(['spec.ports: Required value']);
  });

  it('checks each port: name, number, protocol, target port, app protocol', () => {
    expect(validate({ ports: [port({ name: 'http' }), port({ port: 81 })] })).toEqual(['spec.ports[1].name: Required value']);
    expect(validate({ ports: [port({ name: 'Web_Port' })] })).toEqual([
      `spec.ports[0].name: Invalid value: "Web_Port": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]);
    expect(validate({ ports: [port({ name: 'http' }), port({ name: 'http', port: 81 })] })).toEqual(['spec.ports[1].name: Duplicate value: "http"']);
    expect(validate({ ports: [port({ port: 0 })] })).toEqual(['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
    expect(validate({ ports: [port({ protocol: 'ICMP' })] })).toEqual(['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']);
    expect(validate({ ports: [port({ protocol: '' })] })).toEqual(['spec.ports[0].protocol: Required value']);
    expect(validate({ ports: [port({ targetPort: 70000 })] })).toEqual([
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(validate({ ports: [port({ targetPort: '8080' })] })).toEqual([
      'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)',
    ]);
    expect(validate({ ports: [port({ appProtocol: 'a/b/c' })] })).toEqual([
      `spec.ports[0].appProtocol: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
  });

  it('reports a repeated name with its own port, before that port\'s other errors', () => {
    expect(validate({ ports: [port({ name: 'a' }), port({ name: 'a', port: 0 }), port({ name: 'b', port: 81 })] })).toEqual([
      'spec.ports[1].name: Duplicate value: "a"',
      'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]);
  });

  it('forbids nodePort on ClusterIP services and catches repeated node ports and port/protocol pairs', () => {
    expect(validate({ ports: [port({ nodePort: 30080 })] })).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(validate({ type: 'NodePort', ports: [port({ name: 'a', nodePort: 30080 }), port({ name: 'b', port: 81, nodePort: 30080 })] })).toEqual([
      'spec.ports[1].nodePort: Duplicate value: 30080',
    ]);
    // The same node port over another protocol is a different key.
    expect(validate({ type: 'NodePort', ports: [port({ name: 'a', nodePort: 30053 }), port({ name: 'b', protocol: 'UDP', nodePort: 30053 })] })).toEqual([]);
    expect(validate({ ports: [port({ name: 'a' }), port({ name: 'b', targetPort: 9090 })] })).toEqual([
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
  });
});

describe('validateService: ExternalName', () => {
  it('requires a DNS subdomain as externalName', () => {
    expect(validate({ type: 'ExternalName', externalName: '' })).toEqual(['spec.externalName: Required value']);
    expect(validate({ type: 'ExternalName', externalName: 'Not_A_Host' })).toEqual([
      `spec.externalName: Invalid value: "Not_A_Host": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
  });

  it('forbids cluster IPs and IP families', () => {
    expect(validate({ type: 'ExternalName', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })).toEqual([
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ]);
  });
});

describe('validateService: selector and session affinity', () => {
  it('checks the selector as labels, at the unkeyed path', () => {
    expect(validate({ selector: { app: 'bad value' } })).toEqual([
      `spec.selector: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]);
  });

  it('checks sessionAffinity and its config', () => {
    expect(validate({ sessionAffinity: 'Cookie' })).toEqual(['spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"']);
    expect(validate({ sessionAffinity: 'ClientIP' })).toEqual(['spec.sessionAffinityConfig: Required value: when session affinity type is ClientIP']);
    expect(validate({ sessionAffinity: 'ClientIP', sessionAffinityConfig: {} })).toEqual([
      'spec.sessionAffinityConfig.clientIP: Required value: when session affinity type is ClientIP',
    ]);
    expect(validate({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } })).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400',
    ]);
    expect(validate({ sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })).toEqual([
      'spec.sessionAffinityConfig: Forbidden: must not be set when session affinity is None',
    ]);
  });
});

describe('validateService: cluster IPs and IP families', () => {
  it('keeps clusterIP and clusterIPs in step', () => {
    expect(validate({ clusterIPs: ['10.96.0.11'] })).toEqual(['spec.clusterIPs: Invalid value: []string{"10.96.0.11"}: first value must match `clusterIP`']);
    expect(validate({ clusterIPs: [] })).toEqual(['spec.clusterIPs: Required value']);
    expect(validate({ clusterIP: '', clusterIPs: ['10.96.0.10'] })).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: must be empty when `clusterIP` is not specified',
    ]);
  });

  it('checks each cluster IP, "None" placement, count and families', () => {
    expect(validate({ clusterIP: '10.96.0.300', clusterIPs: ['10.96.0.300'] })).toEqual([
      'spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    expect(validate({ clusterIP: 'None', clusterIPs: ['None', '10.96.0.10'] })).toEqual([
      `spec.clusterIPs: Invalid value: []string{"None", "10.96.0.10"}: 'None' must be the first and only value`,
    ]);
    expect(validate({ clusterIPs: ['10.96.0.10', 'fd00::a', '10.96.0.11'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'RequireDualStack' })).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.96.0.10", "fd00::a", "10.96.0.11"}: may only hold up to 2 values',
    ]);
    expect(validate({ clusterIPs: ['10.96.0.10', '10.96.0.11'], ipFamilyPolicy: 'PreferDualStack' })).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.96.0.10", "10.96.0.11"}: may specify no more than one IP for each IP family',
    ]);
    expect(validate({ ipFamilies: ['IPv6'] })).toEqual(['spec.clusterIPs[0]: Invalid value: "10.96.0.10": expected an IPv6 value as indicated by `ipFamilies[0]`']);
    expect(validate({ ipFamilies: ['IPv5', 'IPv5'], ipFamilyPolicy: 'DualStack' })).toEqual([
      'spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
      'spec.ipFamilies[1]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
      'spec.ipFamilies[1]: Duplicate value: "IPv5"',
      'spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
    ]);
  });

  it('parses addresses as the sloppy Go parser does', () => {
    expect(validate({ clusterIP: '010.96.0.10', clusterIPs: ['010.96.0.10'] })).toEqual([]);
    expect(validate({ clusterIP: 'fe80::1%eth0', clusterIPs: ['fe80::1%eth0'], ipFamilies: ['IPv6'] })).toEqual([
      'spec.clusterIPs[0]: Invalid value: "fe80::1%eth0": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    // IPv4-mapped IPv6 counts as IPv4.
    expect(validate({ clusterIP: '::ffff:10.96.0.10', clusterIPs: ['::ffff:10.96.0.10'] })).toEqual([]);
  });

  it('does not allow headless NodePort or LoadBalancer services', () => {
    expect(validate({ type: 'NodePort', clusterIP: 'None', clusterIPs: ['None'], ports: nodePortPorts })).toEqual([
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
    ]);
    expect(validate({ type: 'LoadBalancer', clusterIP: 'None', clusterIPs: ['None'], ports: nodePortPorts })).toEqual([
      `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`,
    ]);
  });
});

describe('validateService: external IPs, load balancer fields, traffic policies', () => {
  it('checks external IPs', () => {
    expect(validate({ externalIPs: ['not-an-ip', '127.0.0.1', '0.0.0.0', 'fe80::1', '224.0.0.5'], externalTrafficPolicy: 'Cluster' })).toEqual([
      'spec.externalIPs[0]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'spec.externalIPs[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[2]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
      'spec.externalIPs[3]: Invalid value: "fe80::1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      'spec.externalIPs[4]: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
    ]);
  });

  it('allows loadBalancerSourceRanges (CIDRs, padding trimmed) only on LoadBalancer services', () => {
    expect(validate({ type: 'LoadBalancer', ports: nodePortPorts, loadBalancerSourceRanges: [' 10.0.0.0/8 ', '10.0.0.0/33'] })).toEqual([
      'spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
    expect(validate({ loadBalancerSourceRanges: ['10.0.0.0/8'] })).toEqual([
      "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
  });

  it('checks allocateLoadBalancerNodePorts and loadBalancerClass', () => {
    expect(validate({ allocateLoadBalancerNodePorts: false })).toEqual([
      "spec.allocateLoadBalancerNodePorts: Forbidden: may only be used when `type` is 'LoadBalancer'",
    ]);
    expect(validate({ type: 'LoadBalancer', ports: nodePortPorts, allocateLoadBalancerNodePorts: undefined })).toEqual([
      'allocateLoadBalancerNodePorts: Required value',
    ]);
    expect(validate({ loadBalancerClass: 'example.com/lb' })).toEqual(["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"]);
    expect(validate({ type: 'LoadBalancer', ports: nodePortPorts, loadBalancerClass: 'example.com/' })).toEqual([
      'spec.loadBalancerClass: Invalid value: "example.com/": name part must be non-empty',
      `spec.loadBalancerClass: Invalid value: "example.com/": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]);
  });

  it('checks externalTrafficPolicy and healthCheckNodePort', () => {
    expect(validate({ externalTrafficPolicy: 'Local' })).toEqual([
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ]);
    expect(validate({ type: 'NodePort', ports: nodePortPorts, externalTrafficPolicy: undefined })).toEqual(['spec.externalTrafficPolicy: Required value']);
    expect(validate({ type: 'NodePort', ports: nodePortPorts, externalTrafficPolicy: 'Nearest' })).toEqual([
      'spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"',
    ]);
    expect(validate({ type: 'NodePort', ports: nodePortPorts, healthCheckNodePort: 31000 })).toEqual([
      "spec.healthCheckNodePort: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ]);
    expect(validate({ type: 'LoadBalancer', ports: nodePortPorts, externalTrafficPolicy: 'Local' })).toEqual(['spec.healthCheckNodePort: Required value']);
  });

  it('checks internalTrafficPolicy and trafficDistribution', () => {
    expect(validate({ internalTrafficPolicy: undefined })).toEqual(['spec.internalTrafficPolicy: Required value']);
    expect(validate({ internalTrafficPolicy: 'Node' })).toEqual([
      'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    ]);
    expect(validate({ trafficDistribution: 'PreferSameZone' })).toEqual([
      'spec.trafficDistribution: Unsupported value: "PreferSameZone": supported values: "PreferClose"',
    ]);
  });

  it('reports several problems in the order the server does', () => {
    expect(
      validate({
        ports: [port({ name: 'a', nodePort: 30080 }), port({ name: 'a' })],
        sessionAffinity: 'Cookie',
        clusterIPs: ['10.96.0.11'],
        externalIPs: ['x'],
        externalTrafficPolicy: 'Cluster',
        internalTrafficPolicy: 'Node',
      }),
    ).toEqual([
      'spec.ports[1].name: Duplicate value: "a"',
      'spec.sessionAffinity: Unsupported value: "Cookie": supported values: "ClientIP", "None"',
      'spec.clusterIPs: Invalid value: []string{"10.96.0.11"}: first value must match `clusterIP`',
      'spec.externalIPs[0]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"',
    ]);
  });
});

describe('validateServiceUpdate', () => {
  const dual = { clusterIPs: ['10.96.0.10', 'fd00::a'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack' };

  it('allows unchanged IPs, adding a secondary IP and switching to or from ExternalName', () => {
    expect(update({}, {})).toEqual([]);
    expect(update(dual, {})).toEqual([]);
    expect(update({ ...dual, clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }, dual)).toEqual([]);
    expect(update({ type: 'ExternalName' }, {})).toEqual([]);
    expect(update({ clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] }, { type: 'ExternalName' })).toEqual([]);
  });

  it('keeps cluster IPs once set', () => {
    expect(update({ clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] }, {})).toEqual([
      'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
    ]);
    expect(update({ clusterIP: '', clusterIPs: undefined }, {})).toEqual([
      'spec.clusterIPs[0]: Invalid value: []string(nil): primary clusterIP can not be unset',
    ]);
    expect(update({ ...dual, clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'] }, dual)).toEqual([
      "spec.ipFamilyPolicy: Invalid value: \"PreferDualStack\": must be set to 'SingleStack' when releasing the secondary clusterIP",
      "spec.ipFamilyPolicy: Invalid value: \"PreferDualStack\": must be set to 'SingleStack' when releasing the secondary ipFamily",
    ]);
  });

  it('keeps the primary IP family once set', () => {
    expect(update({ ipFamilies: ['IPv6'] }, {})).toEqual(['spec.ipFamilies[0]: Invalid value: []core.IPFamily{"IPv6"}: may not change once set']);
  });

  it('keeps loadBalancerClass and healthCheckNodePort on LoadBalancer services', () => {
    const lb = { type: 'LoadBalancer', ports: nodePortPorts, loadBalancerClass: 'example.com/a' };
    expect(update({ ...lb, loadBalancerClass: 'example.com/b' }, lb)).toEqual(['spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set']);
    expect(update({ ...lb, loadBalancerClass: undefined }, lb)).toEqual(['spec.loadBalancerClass: Invalid value: "null": may not change once set']);
    const local = { ...lb, externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 };
    expect(update({ ...local, healthCheckNodePort: 31001 }, local)).toEqual(['spec.healthCheckNodePort: Forbidden: field is immutable']);
  });
});
