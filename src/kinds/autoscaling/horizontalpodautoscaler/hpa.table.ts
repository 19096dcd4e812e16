/** printHorizontalPodAutoscaler: the columns `kubectl get hpa` shows. */
import { AGE_COLUMN, ageCell, NAME_COLUMN, NONE, UNKNOWN } from '../../../machinery/table/table';
import type { TableDeclaration } from '../../../registry/resource-type';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from './hpa.types';

/** More metrics than this are summarised as "+ N more...". */
const MAX_LISTED_METRICS = 2;

const percent = (value: number | undefined): string | undefined => (value === undefined ? undefined : `${value}%`);

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const target = spec.external?.target;
      if (target?.averageValue !== undefined) return `${status?.external?.current?.averageValue ?? UNKNOWN}/${target.averageValue} (avg)`;
      return `${status?.external ? (status.external.current?.value ?? '0') : UNKNOWN}/${target?.value ?? '0'}`;
    }
    case 'Pods':
      return `${status?.pods ? (status.pods.current?.averageValue ?? '0') : UNKNOWN}/${spec.pods?.target?.averageValue ?? '0'}`;
    case 'Object': {
      const target = spec.object?.target;
      if (target?.averageValue !== undefined) return `${status?.object?.current?.averageValue ?? UNKNOWN}/${target.averageValue} (avg)`;
      return `${status?.object ? (status.object.current?.value ?? '0') : UNKNOWN}/${target?.value ?? '0'}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const current = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const name = source?.name ?? '';
      if (source?.target?.averageValue !== undefined) return `${name}: ${current ? (current.current?.averageValue ?? '0') : UNKNOWN}/${source.target.averageValue}`;
      return `${name}: ${percent(current?.current?.averageUtilization) ?? UNKNOWN}/${percent(source?.target?.averageUtilization) ?? '<auto>'}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: each metric as current/target (1.33 names resource metrics: `cpu: 250%/50%`). */
export function formatHPAMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | null | undefined): string {
  if (!specs?.length) return NONE;
  const list = specs.map((spec, i) => formatMetric(spec ?? {}, statuses?.[i]));
  if (list.length <= MAX_LISTED_METRICS) return list.join(', ');
  return `${list.slice(0, MAX_LISTED_METRICS).join(', ')} + ${list.length - MAX_LISTED_METRICS} more...`;
}

export const hpaTable: TableDeclaration<HorizontalPodAutoscaler> = {
  columns: [
    NAME_COLUMN,
    { name: 'Reference', type: 'string', description: 'The scaled workload (spec.scaleTargetRef) as kind/name.' },
    { name: 'Targets', type: 'string', description: 'Each metric as its current value over its target.' },
    { name: 'MinPods', type: 'string', description: 'The fewest replicas the autoscaler scales down to (spec.minReplicas).' },
    { name: 'MaxPods', type: 'integer', description: 'The most replicas the autoscaler scales up to (spec.maxReplicas).' },
    { name: 'Replicas', type: 'integer', description: 'Replicas the autoscaler last saw (status.currentReplicas).' },
    AGE_COLUMN,
  ],
  cells: (hpa, now) => [
    hpa.metadata.name,
    `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`,
    formatHPAMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
    hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    ageCell(hpa.metadata.creationTimestamp, now),
  ],
};
