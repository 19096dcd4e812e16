import { serviceAccountResource as sas, type ServiceAccount } from './serviceaccount.resource';

const sa = (extra: Partial<ServiceAccount> = {}): ServiceAccount => ({
  metadata: { name: 'builder', namespace: 'default', creationTimestamp: '2024-05-01T11:00:00Z' },
  ...extra,
});

describe('ServiceAccount', () => {
  it('has no rules beyond ObjectMeta (DNS-1123 subdomain names, checked generically)', () => {
    expect(sas.validate).toBeUndefined();
    expect(sas.validateUpdate).toBeUndefined();
  });

  it('keeps only the names of referenced secrets', () => {
    const obj = sa({ secrets: [{ name: 'token', namespace: 'other', uid: 'x' }] });
    sas.prepareForCreate!(obj);
    expect(obj.secrets).toEqual([{ name: 'token' }]);
  });

  it('prints NAME SECRETS AGE', () => {
    expect(sas.table!.columns.map((c) => c.name)).toEqual(['Name', 'Secrets', 'Age']);
    expect(sas.table!.cells(sa({ secrets: [{ name: 'a' }, { name: 'b' }] }), new Date('2024-05-01T11:00:05Z'))).toEqual(['builder', 2, '5s']);
    expect(sas.table!.cells(sa(), new Date('2024-05-01T11:00:05Z'))[1]).toBe(0);
  });

  it('has no selectable fields beyond metadata and no generation', () => {
    expect(sas.selectableFields).toBeUndefined();
    expect(sas.generationFields).toBeUndefined();
  });
});
