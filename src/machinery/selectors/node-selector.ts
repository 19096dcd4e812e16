/**
 * Node selector terms (node affinity, volume node affinity) and taint tolerations, as
 * k8s.io/component-helpers matches them. Used by the scheduler, the DaemonSet, node lifecycle and
 * volume reconcilers alike.
 */

export interface NodeSelectorRequirement {
  key?: string;
  operator?: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface TaintLike {
  key?: string;
  value?: string;
  effect?: string;
}

export interface TolerationLike {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** What a term is matched against: the node's name (the only matchFields key) and labels. */
export interface NodeIdentity {
  name: string;
  labels: Record<string, string>;
}

function requirementMatches(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !/^-?\d+$/.test(value) || values.length !== 1) return false;
      const [have, want] = [Number(value), Number(values[0])];
      return req.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function termMatches(term: NodeSelectorTerm, node: NodeIdentity): boolean {
  // A term with no requirements selects nothing.
  if (!term.matchExpressions?.length && !term.matchFields?.length) return false;
  return (
    (term.matchExpressions ?? []).every((r) => requirementMatches(r, r.key !== undefined && r.key in node.labels ? node.labels[r.key] : undefined)) &&
    (term.matchFields ?? []).every((r) => r.key === 'metadata.name' && requirementMatches(r, node.name))
  );
}

/** The terms are ORed; the requirements within one term ANDed. */
export function nodeSelectorTermsMatch(terms: NodeSelectorTerm[], node: NodeIdentity): boolean {
  return terms.some((term) => termMatches(term, node));
}

export function toleratesTaint(toleration: TolerationLike, taint: TaintLike): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return !toleration.key || toleration.key === taint.key;
  return toleration.key === taint.key && (toleration.value ?? '') === (taint.value ?? '');
}

export function tolerates(tolerations: TolerationLike[] | undefined, taint: TaintLike): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}
