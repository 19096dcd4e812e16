import { dns1123LabelErrors, dns1123SubdomainErrors } from './names';
import { maskTrailingDash, metaOptionsOf, pathSegmentNameErrors, validateObjectMeta, validateObjectMetaUpdate } from './object-meta';

const namespaced = { namespaced: true, nameErrors: dns1123SubdomainErrors };
const text = (errors: { toString(): string }[]) => errors.map((e) => e.toString());

describe('validateObjectMeta', () => {
  it('accepts a well-formed object', () => {
    expect(validateObjectMeta({ name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'example.com/x': 'y' } }, namespaced)).toEqual([]);
  });

  it('requires a name', () => {
    expect(text(validateObjectMeta({ namespace: 'default' }, namespaced))).toEqual(['metadata.name: Required value: name or generateName is required']);
  });

  it('checks the name with the kind’s rule', () => {
    expect(text(validateObjectMeta({ name: 'Bad_Name', namespace: 'default' }, namespaced))).toEqual([
      `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]);
    expect(text(validateObjectMeta({ name: 'a.b' }, { namespaced: false, nameErrors: dns1123LabelErrors }))).toEqual([
      'metadata.name: Invalid value: "a.b": must not contain dots',
    ]);
  });

  it('validates generateName with the trailing dash masked', () => {
    expect(maskTrailingDash('web-')).toBe('wea');
    expect(validateObjectMeta({ name: 'web-abcde', generateName: 'web-', namespace: 'default' }, namespaced)).toEqual([]);
    expect(text(validateObjectMeta({ name: 'x', generateName: 'Web-', namespace: 'default' }, namespaced))[0]).toMatch(/^metadata.generateName: Invalid value: "Web-"/);
  });

  it('requires or forbids the namespace by scope', () => {
    expect(text(validateObjectMeta({ name: 'a' }, namespaced))).toEqual(['metadata.namespace: Required value']);
    expect(text(validateObjectMeta({ name: 'a', namespace: 'Bad' }, namespaced))[0]).toMatch(/^metadata.namespace: Invalid value: "Bad": a lowercase RFC 1123 label/);
    expect(text(validateObjectMeta({ name: 'a', namespace: 'x' }, { namespaced: false, nameErrors: dns1123SubdomainErrors }))).toEqual([
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('checks labels, annotations, owner references and finalizers', () => {
    const errors = text(
      validateObjectMeta(
        {
          name: 'a',
          namespace: 'default',
          labels: { app: 'bad value!' },
          annotations: { 'bad key!': 'x' },
          ownerReferences: [
            { apiVersion: '', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true },
            { apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u2', controller: true },
          ],
          finalizers: ['orphan', 'foregroundDeletion', 'custom'],
        },
        namespaced,
      ),
    );
    expect(errors).toEqual([
      expect.stringMatching(/^metadata.labels: Invalid value: "bad value!": a valid label must be an empty string or consist of/),
      expect.stringMatching(/^metadata.annotations: Invalid value: "bad key!": name part must consist of/),
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      expect.stringMatching(/^metadata.ownerReferences: Invalid value: .*: \/v1, Kind=Event is disallowed from being an owner$/),
      expect.stringMatching(/^metadata.ownerReferences: Invalid value: .*: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet\/rs and Event\/e$/),
      expect.stringMatching(/^metadata.finalizers: Invalid value: .*: finalizer orphan and foregroundDeletion cannot be both set$/),
      'metadata.finalizers[2]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('limits the total size of annotations to 256 KiB', () => {
    const big = 'x'.repeat(256 * 1024);
    expect(text(validateObjectMeta({ name: 'a', namespace: 'default', annotations: { k: big } }, namespaced))).toEqual([
      'metadata.annotations: Too long: must have at most 262144 bytes',
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'default', uid: 'u', resourceVersion: '5', creationTimestamp: '2024-05-01T10:00:00Z' };

  it('accepts an update that keeps the identity', () => {
    expect(validateObjectMetaUpdate({ ...old, labels: { a: 'b' } }, old)).toEqual([]);
  });

  it('reports immutable fields and a missing resourceVersion', () => {
    expect(text(validateObjectMetaUpdate({ ...old, name: 'b', resourceVersion: '', creationTimestamp: '2024-05-02T10:00:00Z' }, old))).toEqual([
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.creationTimestamp: Invalid value: "2024-05-02 10:00:00 +0000 UTC": field is immutable',
    ]);
  });

  it('forbids new finalizers on an object being deleted', () => {
    const deleting = { ...old, deletionTimestamp: '2024-05-01T11:00:00Z', finalizers: ['a/b'] };
    expect(text(validateObjectMetaUpdate({ ...deleting, finalizers: ['a/b', 'c/d'] }, deleting))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"c/d"}',
    ]);
  });
});

describe('kind metadata rules', () => {
  it('defaults to DNS subdomain names and the core finalizer rule', () => {
    const opts = metaOptionsOf({ namespaced: true });
    expect(opts.nameErrors).toBe(dns1123SubdomainErrors);
    expect(opts.kubeFinalizerNames).toBe(true);
  });
  it('reads the rules a kind declares in metaRules', () => {
    const decl = { namespaced: false, metaRules: { nameErrors: dns1123LabelErrors, kubeFinalizerNames: false } };
    expect(metaOptionsOf(decl)).toEqual({ namespaced: false, nameErrors: dns1123LabelErrors, kubeFinalizerNames: false });
  });
  it('path segment names refuse . and .. and / or %', () => {
    expect(pathSegmentNameErrors('..')).toEqual(["may not be '..'"]);
    expect(pathSegmentNameErrors('a/b%c')).toEqual(["may not contain '/'", "may not contain '%'"]);
    expect(pathSegmentNameErrors('Any_Name')).toEqual([]);
  });
});
