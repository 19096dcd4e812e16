/** ValidateStatefulSet / ValidateStatefulSetUpdate of pkg/apis/apps/validation. */
import { FieldError } from '../../../machinery/errors/status-error';
import { LabelSelector, labelSelectorFieldErrors } from '../../../machinery/selectors/label-selector';
import { semanticEqual } from '../../../machinery/validation/common';
import { validatePersistentVolumeClaimSpec } from '../../core/persistentvolume/persistentvolume.validation';
import { goLabelSelector, nonNegativeErrors, validateReplicatedTemplate, type PodTemplateSpec } from '../pod-template';
import type { StatefulSet, StatefulSetSpec } from './statefulset.types';

const ORDERED_READY = 'OrderedReady';
const PARALLEL = 'Parallel';
const ROLLING_UPDATE = 'RollingUpdate';
const ON_DELETE = 'OnDelete';
const RETENTION = ['Delete', 'Retain'];

function specErrors(spec: StatefulSetSpec): FieldError[] {
  const errors: FieldError[] = [];
  if (!spec.podManagementPolicy) errors.push(FieldError.required('spec.podManagementPolicy'));
  else if (spec.podManagementPolicy !== ORDERED_READY && spec.podManagementPolicy !== PARALLEL) {
    errors.push(FieldError.invalid('spec.podManagementPolicy', spec.podManagementPolicy, `must be '${ORDERED_READY}' or '${PARALLEL}'`));
  }
  const strategy = spec.updateStrategy ?? {};
  switch (strategy.type) {
    case undefined:
    case '':
      errors.push(FieldError.required('spec.updateStrategy'));
      break;
    case ON_DELETE:
      if (strategy.rollingUpdate) errors.push(FieldError.invalid('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, `only allowed for updateStrategy '${ROLLING_UPDATE}'`));
      break;
    case ROLLING_UPDATE:
      if (strategy.rollingUpdate) errors.push(...nonNegativeErrors({ 'spec.updateStrategy.rollingUpdate.partition': strategy.rollingUpdate.partition }));
      break;
    default:
      errors.push(FieldError.invalid('spec.updateStrategy', strategy, `must be '${ROLLING_UPDATE}' or '${ON_DELETE}'`));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy ?? {};
  for (const field of ['whenDeleted', 'whenScaled'] as const) {
    const value = retention[field];
    if (value !== undefined && !RETENTION.includes(value)) errors.push(FieldError.notSupported(`spec.persistentVolumeClaimRetentionPolicy.${field}`, value, RETENTION));
  }
  errors.push(...nonNegativeErrors({ 'spec.replicas': spec.replicas, 'spec.minReadySeconds': spec.minReadySeconds, 'spec.ordinals.start': spec.ordinals?.start }));
  const selector = spec.selector;
  let parsed: LabelSelector | undefined;
  if (!selector || typeof selector !== 'object') {
    errors.push(FieldError.required('spec.selector'));
  } else {
    errors.push(...labelSelectorFieldErrors(selector, 'spec.selector'));
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0) {
      errors.push(FieldError.invalid('spec.selector', goLabelSelector(selector), 'empty selector is invalid for statefulset'));
    }
    try {
      parsed = LabelSelector.fromObject(selector);
    } catch {
      errors.push(FieldError.invalid('spec.selector', goLabelSelector(selector), 'invalid label selector'));
    }
  }
  // The pods' volumes are the template's plus one per claim template, so mounts may name either.
  if (parsed) errors.push(...validateReplicatedTemplate(withClaimVolumes(spec), parsed, 'spec.template', 'StatefulSet'));
  (spec.volumeClaimTemplates ?? []).forEach((claim, i) => {
    errors.push(...validatePersistentVolumeClaimSpec(claim.spec ?? {}, `spec.volumeClaimTemplates[${i}].spec`));
  });
  return errors;
}

function withClaimVolumes(spec: StatefulSetSpec): PodTemplateSpec | undefined {
  const template = spec.template;
  if (!template || typeof template !== 'object' || !spec.volumeClaimTemplates?.length || !template.spec || typeof template.spec !== 'object') return template;
  const names = new Set((spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata?.name));
  const volumes = [
    ...(template.spec.volumes ?? []).filter((v) => !names.has(v.name)),
    ...spec.volumeClaimTemplates.map((claim) => ({ name: claim.metadata?.name, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } })),
  ];
  return { ...template, spec: { ...template.spec, volumes } };
}

export function validateStatefulSet(set: StatefulSet): FieldError[] {
  return specErrors(set.spec ?? {});
}

/** Only replicas, ordinals, template, updateStrategy, revisionHistoryLimit, the claim retention policy and minReadySeconds may change. */
export function validateStatefulSetUpdate(set: StatefulSet, old: StatefulSet): FieldError[] {
  const errors = specErrors(set.spec ?? {});
  const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
  const fixed = (spec: StatefulSetSpec | undefined) => Object.fromEntries(Object.entries(spec ?? {}).filter(([k]) => !mutable.includes(k)));
  if (!semanticEqual(fixed(set.spec), fixed(old.spec))) {
    errors.push(
      FieldError.forbidden(
        'spec',
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errors;
}
