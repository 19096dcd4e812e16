import { StatusError } from '../errors/status-error';
import { decodeProtobufObject, encodeProtobufObject } from './index';
import { formatGoDuration, formatUnixTime, parseGoDuration, parseUnixTime } from './well-known';

/*
 * Byte vectors: one derived by hand from the wire format, and bodies real kubectl 1.32 sent (captured
 * from `kubectl create ...` against a recording server), which are what Go's generated Marshal writes:
 * every non-pointer field present, empty strings and zero numbers included.
 */

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

function ascii(text: string): string {
  return Buffer.from(text).toString('hex');
}

function decodeError(body: Uint8Array, target?: { apiVersion: string; kind: string }): StatusError {
  try {
    decodeProtobufObject(body, target);
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('decoded without an error');
}

// ConfigMap{metadata: {name: "cm", namespace: "ns"}, data: {k: "v"}}, written out field by field.
const HAND_CONFIG_MAP = [
  '6b387300', // "k8s\0"
  '0a0f', //      Unknown.typeMeta (1, bytes), 15 bytes
  '0a02' + ascii('v1'), //             TypeMeta.apiVersion (1)
  '1209' + ascii('ConfigMap'), //      TypeMeta.kind (2)
  '1212', //      Unknown.raw (2), 18 bytes: the ConfigMap message
  '0a08', //        ConfigMap.metadata (1), 8 bytes
  '0a02' + ascii('cm'), //             ObjectMeta.name (1)
  '1a02' + ascii('ns'), //             ObjectMeta.namespace (3)
  '1206', //        ConfigMap.data (2): one map entry, 6 bytes
  '0a01' + ascii('k'), //              entry key (1)
  '1201' + ascii('v'), //              entry value (2)
  '1a00', //      Unknown.contentEncoding (3) ""
  '2200', //      Unknown.contentType (4) ""
].join('');

const CONFIG_MAP_JSON = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cm', namespace: 'ns' }, data: { k: 'v' } };

describe('protobuf wire vectors', () => {
  it('decodes a ConfigMap envelope derived by hand', () => {
    expect(decodeProtobufObject(hex(HAND_CONFIG_MAP))).toStrictEqual({ apiVersion: 'v1', kind: 'ConfigMap', object: CONFIG_MAP_JSON });
  });

  it('encodes that ConfigMap to exactly those bytes (Go field order, empty contentEncoding/contentType written)', () => {
    expect(encodeProtobufObject(CONFIG_MAP_JSON).toString('hex')).toBe(HAND_CONFIG_MAP);
  });

  it('decodes `kubectl create configmap cm1 --from-literal=a=b` (kubectl 1.32)', () => {
    const body = hex('6b3873000a0f0a0276311209436f6e6669674d6170121d0a130a03636d3112001a0022002a0032003800420012060a01611201621a002200');
    // Every empty ObjectMeta string, generation 0 and the empty creationTimestamp are on the wire; omitempty leaves them out.
    expect(decodeProtobufObject(body).object).toStrictEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cm1' }, data: { a: 'b' } });
  });

  it('decodes `kubectl create secret generic s1 --from-literal=pw=s3cr3t` (kubectl 1.32)', () => {
    const body = hex('6b3873000a0c0a027631120653656372657412240a120a02733112001a0022002a00320038004200120c0a02707712067333637233741a001a002200');
    expect(decodeProtobufObject(body).object).toStrictEqual({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 's1' }, data: { pw: Buffer.from('s3cr3t').toString('base64') } });
  });

  it('decodes `kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80` (kubectl 1.32) as kubectl 1.31 sends it in JSON', () => {
    const body = hex(
      '6b3873000a150a07617070732f7631120a4465706c6f796d656e7412bd010a1f0a0377656212001a0022002a003200380042005a0a0a036170701203776562128b010802120c0a0a0a0361707012037765621a710a1c0a0012001a0022002a003200380042005a0a0a036170701203776562125112330a056e67696e78120a6e67696e783a312e32372a00320a0a001000185022002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a01009a0100c2010022020a00280038001a0c0800100018002000280038001a002200',
    );
    // kubectl 1.31's JSON body for the same command, less `"creationTimestamp": null` (null is never kept).
    const json = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'web', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: {} }] } },
        strategy: {},
      },
      status: {},
    };
    const decoded = decodeProtobufObject(body).object;
    expect(decoded).toStrictEqual(json);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(json));
  });

  it('decodes the bodies of `kubectl create token`, `auth can-i` and `auth whoami` (kubectl 1.32)', () => {
    const token = hex(
      '6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412340a100a0012001a0022002a00320038004200121a0a03612c621a100a03506f64120276311a01702202753120901c1a040a0012001a002200',
    );
    expect(decodeProtobufObject(token).object).toStrictEqual({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: {},
      spec: { audiences: ['a,b'], expirationSeconds: 3600, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'u1' } },
      // TokenRequestStatus.Token has no omitempty; the zero expirationTimestamp is null in Go's JSON, so absent here.
      status: { token: '' },
    });
    const canI = hex(
      '6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f7631121753656c665375626a656374416363657373526576696577123f0a100a0012001a0022002a0032003800420012210a1f0a0764656661756c7412036765741a0022002a04706f647332036c6f673a001a08080012001a0020001a002200',
    );
    expect(decodeProtobufObject(canI).object).toStrictEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods', subresource: 'log' } },
      status: { allowed: false },
    });
    const whoami = hex('6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a656374526576696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200');
    expect(decodeProtobufObject(whoami).object).toStrictEqual({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: {} } });
  });

  it('writes pointer zeros, negative numbers as ten-byte varints, and IntOrString with all three fields', () => {
    const job = { kind: 'Job', apiVersion: 'batch/v1', metadata: { name: 'j' }, spec: { parallelism: 0, activeDeadlineSeconds: -1 } };
    const bytes = encodeProtobufObject(job);
    // JobSpec.parallelism (1) = 0, activeDeadlineSeconds (3) = -1 as 10 bytes of two's complement.
    expect(bytes.toString('hex')).toContain('0800' + '18ffffffffffffffffff01');
    expect(decodeProtobufObject(bytes).object).toStrictEqual(job);
    const svc = { kind: 'Service', apiVersion: 'v1', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }] } };
    // targetPort (4): IntOrString{type: 1, intVal: 0, strVal: "http"}
    expect(encodeProtobufObject(svc).toString('hex')).toContain('220a' + '0801' + '1000' + '1a04' + ascii('http'));
  });
});

describe('RawExtension holding protobuf', () => {
  function delimited(field: number, payload: Buffer): Buffer {
    const length: number[] = [];
    for (let n = payload.length; ; n >>>= 7) {
      if (n < 0x80) {
        length.push(n);
        break;
      }
      length.push((n & 0x7f) | 0x80);
    }
    return Buffer.concat([Buffer.from([(field << 3) | 2, ...length]), payload]);
  }
  /** A v1 List envelope whose one item is `item` (an envelope itself), as a protobuf client would send it. */
  function listOf(item: Buffer): Buffer {
    const typeMeta = delimited(1, Buffer.concat([delimited(1, Buffer.from('v1')), delimited(2, Buffer.from('List'))]));
    const raw = delimited(2, delimited(2, delimited(1, item)));
    return Buffer.concat([hex('6b387300'), typeMeta, raw, hex('1a002200')]);
  }

  it('reads a nested protobuf object inside a RawExtension (a v1 List) as embedded JSON', () => {
    const body = listOf(encodeProtobufObject(CONFIG_MAP_JSON));
    expect(decodeProtobufObject(body).object).toStrictEqual({ kind: 'List', apiVersion: 'v1', items: [CONFIG_MAP_JSON] });
  });

  it('stops converting envelopes nested without end', () => {
    let body = encodeProtobufObject(CONFIG_MAP_JSON);
    for (let i = 0; i < 40; i++) body = listOf(body);
    expect(decodeError(body).message).toBe('List in version "v1" cannot be handled as a List: RawExtension: objects nested more than 32 deep');
  });
});

describe('unknown protobuf fields', () => {
  // The generated Go Unmarshal methods send every field number they do not know to skipGenerated
  // (`default:` of their switch) and carry on; protobuf decoding has no strict mode (the codec factory
  // uses the same serializer for StrictSerializer). So unknown fields of every wire type are skipped.
  const unknownFields = [
    'c806' + '2a', //                  field 105, varint 42
    'd2060548656c6c6f', //             field 106, bytes "Hello"
    'dd0601020304', //                 field 107, fixed32
    'd9060102030405060708', //         field 107, fixed64 (wire type 1 on field 107)
    'e3060801' + 'e406', //            field 108, a group holding field 1 = 1, then its end
  ].join('');

  function withUnknowns(): Buffer {
    // The hand ConfigMap with the unknown fields appended to ObjectMeta, to ConfigMap and to the envelope.
    const meta = '0a02' + ascii('cm') + '1a02' + ascii('ns') + unknownFields;
    const configMap = '0a' + (meta.length / 2).toString(16).padStart(2, '0') + meta + '1206' + '0a01' + ascii('k') + '1201' + ascii('v') + unknownFields;
    const typeMeta = '0a02' + ascii('v1') + '1209' + ascii('ConfigMap') + unknownFields;
    return hex(
      '6b387300' + '0a' + (typeMeta.length / 2).toString(16).padStart(2, '0') + typeMeta + '12' + (configMap.length / 2).toString(16).padStart(2, '0') + configMap + '1a002200' + unknownFields,
    );
  }

  it('skips unknown fields of every wire type, at every level', () => {
    expect(decodeProtobufObject(withUnknowns()).object).toStrictEqual(CONFIG_MAP_JSON);
  });

  it('still fails on an unknown field that runs past its message', () => {
    // field 106 claims 9 bytes, only 2 follow inside ObjectMeta.
    const meta = '0a02' + ascii('cm') + 'd206094869';
    const configMap = '0a' + (meta.length / 2).toString(16).padStart(2, '0') + meta;
    const body = hex('6b387300' + '0a0f0a02763112' + '09' + ascii('ConfigMap') + '12' + (configMap.length / 2).toString(16).padStart(2, '0') + configMap + '1a002200');
    expect(decodeError(body, { apiVersion: 'v1', kind: 'ConfigMap' }).message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF');
  });
});

describe('malformed protobuf bodies', () => {
  const target = { apiVersion: 'v1', kind: 'ConfigMap' };

  it('fails an empty body, a body without the magic and a bare magic like the real server', () => {
    const empty = decodeError(Buffer.alloc(0), target);
    expect(empty.code).toBe(400);
    expect(empty.reason).toBe('BadRequest');
    expect(empty.message).toBe('the object provided is unrecognized (must be of type ConfigMap): empty data (<empty>)');
    expect(decodeError(Buffer.from('{"kind":"ConfigMap","apiVersion":"v1","metadata":{}}'), target).message).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ConfigMap","apiVersio ...)',
    );
    expect(decodeError(hex('6b387300'), target).message).toBe('the object provided is unrecognized (must be of type ConfigMap): empty body (6b387300)');
  });

  it('fails a broken envelope before it knows the kind', () => {
    expect(decodeError(hex('6b3873000a0f0a0276'), target).message).toBe('the object provided is unrecognized (must be of type ConfigMap): unexpected EOF (6b3873000a0f0a0276)');
  });

  it('fails a broken typed message with the Go unmarshal texts', () => {
    const envelope = (raw: string): Buffer => hex('6b387300' + '0a0f0a0276311209' + ascii('ConfigMap') + '12' + (raw.length / 2).toString(16).padStart(2, '0') + raw + '1a002200');
    const prefix = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: ';
    expect(decodeError(envelope('0805'), target).message).toBe(prefix + 'proto: wrong wireType = 0 for field ObjectMeta');
    expect(decodeError(envelope('0005'), target).message).toBe(prefix + 'proto: ConfigMap: illegal tag 0 (wire type 0)');
    expect(decodeError(envelope('0c'), target).message).toBe(prefix + 'proto: ConfigMap: wiretype end group for non-group');
    expect(decodeError(envelope('0a05' + '0a02'), target).message).toBe(prefix + 'unexpected EOF');
    expect(decodeError(envelope('0a0a' + '0a08ffffffffffffffffff'), target).message).toBe(prefix + 'unexpected EOF');
    expect(decodeError(envelope('0a0b' + '0a' + 'ffffffffffffffffff7f'), target).message).toBe(prefix + 'proto: negative length found during unmarshaling');
    expect(decodeError(envelope('0a0c' + '38' + 'ffffffffffffffffffff01'), target).message).toBe(prefix + 'proto: integer overflow');
    // A known field number checks its wire type first; only an unknown one reaches skipGenerated's check.
    expect(decodeError(envelope('0f'), target).message).toBe(prefix + 'proto: wrong wireType = 7 for field ObjectMeta');
    expect(decodeError(envelope('7f'), target).message).toBe(prefix + 'proto: illegal wireType 7');
  });

  it('fails a malformed quantity as Quantity.Unmarshal does', () => {
    // ResourceQuota{spec: {hard: {cpu: "1x"}}}
    const entry = '0a03' + ascii('cpu') + '1204' + '0a02' + ascii('1x');
    const spec = '0a' + (entry.length / 2).toString(16).padStart(2, '0') + entry;
    const raw = '12' + (spec.length / 2).toString(16).padStart(2, '0') + spec;
    const typeMeta = '0a02' + ascii('v1') + '120d' + ascii('ResourceQuota');
    const full = hex('6b387300' + '0a' + (typeMeta.length / 2).toString(16).padStart(2, '0') + typeMeta + '12' + (raw.length / 2).toString(16).padStart(2, '0') + raw + '1a002200');
    expect(decodeError(full, { apiVersion: 'v1', kind: 'ResourceQuota' }).message).toBe(
      `ResourceQuota in version "v1" cannot be handled as a ResourceQuota: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  });

  it('defaults a missing kind and apiVersion from the endpoint, and rejects kinds it does not know', () => {
    const noTypeMeta = hex('6b387300' + '0a00' + '1208' + '0a06' + '0a04' + ascii('bare') + '1a002200');
    expect(decodeProtobufObject(noTypeMeta, target)).toStrictEqual({ apiVersion: 'v1', kind: 'ConfigMap', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'bare' } } });
    expect(decodeError(noTypeMeta).message).toBe(`Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"", Kind:""}'`);
    const widget = encodeProtobufObject(CONFIG_MAP_JSON).toString('hex').replace(ascii('ConfigMap'), ascii('WidgetMap'));
    expect(decodeError(hex(widget), target).message).toBe(
      'WidgetMap in version "v1" cannot be handled as a ConfigMap: no kind "WidgetMap" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    );
  });
});

describe('Go durations (metav1.Duration JSON)', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1500n, '1.5µs'],
    [1_500_000n, '1.5ms'],
    [1_000_000_000n, '1s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [3_723_500_000_000n, '1h2m3.5s'],
    [-2_000_000_000n, '-2s'],
  ])('%s ns prints as %s and parses back', (nanos, text) => {
    expect(formatGoDuration(nanos)).toBe(text);
    expect(parseGoDuration(text)).toBe(nanos);
  });
});

describe('timestamps (metav1.Time / MicroTime)', () => {
  it.each([
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '2000-02-29T12:34:56Z',
    '2024-05-01T10:00:00Z',
    '0001-01-01T00:00:01Z',
    '9999-12-31T23:59:59Z',
  ])('reads and prints %s the way Date does', (text) => {
    const { seconds, nanos } = parseUnixTime(text);
    expect(seconds).toBe(Date.parse(text) / 1000);
    expect(nanos).toBe(0);
    expect(formatUnixTime(seconds, nanos, false)).toBe(text);
  });

  it('reads fractions and offsets (the slow path) like the canonical fast path', () => {
    expect(parseUnixTime('2024-05-01T10:00:00.123456Z')).toEqual({ seconds: Date.parse('2024-05-01T10:00:00Z') / 1000, nanos: 123456000 });
    expect(parseUnixTime('2024-05-01T12:00:00.5+02:00')).toEqual({ seconds: Date.parse('2024-05-01T10:00:00Z') / 1000, nanos: 500000000 });
    expect(formatUnixTime(Date.parse('2024-05-01T10:00:00Z') / 1000, 123456789, true)).toBe('2024-05-01T10:00:00.123456Z');
    // time.Unix normalises nanoseconds outside [0, 1e9).
    expect(formatUnixTime(10, -1, true)).toBe('1970-01-01T00:00:09.999999Z');
  });

  it('writes nothing for Go\'s zero time and reads an empty Time as absent', () => {
    const ns = { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'z', creationTimestamp: '0001-01-01T00:00:00Z' } };
    const bytes = encodeProtobufObject(ns);
    // Namespace.metadata (1): name, then creationTimestamp (8) as an empty message, as Time.Marshal leaves it.
    expect(bytes.toString('hex')).toContain('0a05' + '0a01' + ascii('z') + '4200');
    expect(decodeProtobufObject(bytes).object).toStrictEqual({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'z' } });
  });
});
