import type { KubeObject } from '../../machinery/meta/types';

export type ResourceUsage = Record<string, string>;

export interface PodMetrics extends KubeObject {
  timestamp: string;
  window: string;
  containers: { name: string; usage: ResourceUsage }[];
}

export interface NodeMetrics extends KubeObject {
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

/** The names the resource-usage source registers itself under (ResourceType.computedBy). */
export const POD_METRICS_SOURCE = 'pod-metrics';
export const NODE_METRICS_SOURCE = 'node-metrics';
