/**
 * Completion indexes of Indexed Jobs (pkg/controller/job/indexed_job_utils.go): pods carry their
 * index in an annotation and a label, and the Job's status.completedIndexes lists the indexes that
 * succeeded as compressed intervals ("0-2,5").
 */
import type { Pod } from '../../core/pod/pod.types';
import { JOB_COMPLETION_INDEX_ANNOTATION } from './job.types';

/** The pod's completion index, or undefined when it has none or an unreadable one. */
export function completionIndexOf(pod: Pod): number | undefined {
  const text = pod.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (text === undefined || !/^[0-9]+$/.test(text)) return undefined;
  const index = Number(text);
  return Number.isSafeInteger(index) ? index : undefined;
}

/** Reads "0-2,5" into the set {0,1,2,5}, keeping only indexes below `completions`. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const indexes = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    if (!part) continue;
    const [first, last] = part.split('-').map(Number);
    const end = last === undefined ? first : last;
    if (!Number.isInteger(first) || !Number.isInteger(end)) continue;
    for (let i = first; i <= end && i < completions; i++) indexes.add(i);
  }
  return indexes;
}

/** Writes a set of indexes as ordered intervals ("0-2,5"); consecutive ones make a range. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j > i) parts.push(`${sorted[i]}-${sorted[j]}`);
    else parts.push(String(sorted[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/** firstPendingIndexes: the lowest indexes neither succeeded nor being worked on by an active pod. */
export function firstPendingIndexes(count: number, completions: number, succeeded: Set<number>, active: readonly Pod[]): number[] {
  const busy = new Set<number>(succeeded);
  for (const pod of active) {
    const index = completionIndexOf(pod);
    if (index !== undefined) busy.add(index);
  }
  const pending: number[] = [];
  for (let i = 0; i < completions && pending.length < count; i++) if (!busy.has(i)) pending.push(i);
  return pending;
}

/** How many times the pod's index failed before it (counted and ignored), carried from pod to replacement. */
export const INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

function countAnnotation(pod: Pod, key: string): number {
  const text = pod.metadata.annotations?.[key];
  return text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : 0;
}

/** getIndexFailureCount: the failures of this index counted before this pod. */
export function indexFailureCount(pod: Pod): number {
  return countAnnotation(pod, INDEX_FAILURE_COUNT_ANNOTATION);
}

/** getIndexAbsoluteFailureCount: counted and ignored failures alike. */
export function indexAbsoluteFailureCount(pod: Pod): number {
  return countAnnotation(pod, INDEX_FAILURE_COUNT_ANNOTATION) + countAnnotation(pod, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
}
