import { metaOptionsOf } from '../../../machinery/validation/object-meta';
import { eventResource as events, type Event } from './event.resource';

const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());
const now = new Date('2024-05-01T12:00:00Z');
const legacy = (extra: Partial<Event> = {}): Event => ({
  metadata: { name: 'web-1.17c0a', namespace: 'default', creationTimestamp: '2024-05-01T11:55:00Z' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u-1', apiVersion: 'v1', fieldPath: 'spec.containers{web}' },
  reason: 'Pulled',
  message: 'Successfully pulled image "nginx"\n',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2024-05-01T11:50:00Z',
  lastTimestamp: '2024-05-01T11:58:00Z',
  count: 3,
  type: 'Normal',
  ...extra,
});

describe('Event (core/v1)', () => {
  it('accepts a kubelet-style event', () => {
    expect(events.validate!(legacy())).toEqual([]);
  });

  it('requires the involved object namespace to match', () => {
    expect(text(events.validate!(legacy({ involvedObject: { kind: 'Pod', name: 'x', namespace: 'other' } })))).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
    // Events about cluster-scoped objects live in "default" (or nowhere).
    expect(events.validate!(legacy({ involvedObject: { kind: 'Node', name: 'node-1' } }))).toEqual([]);
  });

  it('asks more of events that carry an eventTime', () => {
    const fresh = legacy({ eventTime: '2024-05-01T11:59:00.000000Z', reason: '', reportingComponent: '', reportingInstance: '', action: '' });
    expect(text(events.validate!(fresh))).toEqual([
      'reportingController: Required value',
      'reportingController: Invalid value: "": name part must be non-empty',
      expect.stringMatching(/^reportingController: Invalid value: "": name part must consist of alphanumeric characters/),
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]);
    const ok = legacy({ eventTime: '2024-05-01T11:59:00.000000Z', reportingComponent: 'example.com/ctl', reportingInstance: 'ctl-1', action: 'Sync' });
    expect(events.validate!(ok)).toEqual([]);
    expect(text(events.validate!({ ...ok, message: 'x'.repeat(1025) }))).toEqual(['message: Invalid value: "": can have at most 1024 characters']);
  });

  it('accepts any path-segment name, as core/v1 does', () => {
    const opts = metaOptionsOf(events);
    expect(opts.nameErrors('Not_A_DNS_Name')).toEqual([]);
    expect(opts.nameErrors('a/b')).toEqual(["may not contain '/'"]);
    expect(opts.kubeFinalizerNames).toBe(false);
  });

  it('prints LAST SEEN TYPE REASON OBJECT MESSAGE, with SUBOBJECT SOURCE FIRST SEEN COUNT NAME for -o wide', () => {
    const table = events.table!;
    expect(table.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`)).toEqual([
      'Last Seen',
      'Type',
      'Reason',
      'Object',
      'Subobject*',
      'Source*',
      'Message',
      'First Seen*',
      'Count*',
      'Name*',
    ]);
    expect(table.columns[9].format).toBe('name');
    expect(table.cells(legacy(), now)).toEqual([
      '2m',
      'Normal',
      'Pulled',
      'pod/web-1',
      'spec.containers{web}',
      'kubelet, node-1',
      'Successfully pulled image "nginx"',
      '10m',
      3,
      'web-1.17c0a',
    ]);
  });

  it('falls back to eventTime, series and the reporting fields like printEvent', () => {
    const fresh = legacy({
      firstTimestamp: null,
      lastTimestamp: null,
      count: undefined,
      source: {},
      eventTime: '2024-05-01T11:59:30.000000Z',
      reportingComponent: 'scheduler',
      reportingInstance: '',
      involvedObject: { kind: 'Node' },
    });
    const cells = events.table!.cells(fresh, now);
    expect([cells[0], cells[3], cells[5], cells[7], cells[8]]).toEqual(['30s', 'node', 'scheduler', '30s', 1]);
    const series = events.table!.cells(legacy({ series: { count: 7, lastObservedTime: '2024-05-01T11:59:00.000000Z' } }), now);
    expect([series[0], series[8]]).toEqual(['60s', 7]);
  });

  it('selects by the involved object, reason, source and type', () => {
    expect(events.selectableFields!(legacy())).toEqual({
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'web-1',
      'involvedObject.uid': 'u-1',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': 'spec.containers{web}',
      reason: 'Pulled',
      reportingComponent: '',
      source: 'kubelet',
      type: 'Normal',
    });
  });
});
