/**
 * An estimate of how long CloudFormation takes to create or delete a stack: the longest path through
 * the template's dependency graph, each resource weighted by a typical duration for its type.
 *
 * CloudFormation starts a resource as soon as every resource it depends on is done (explicit
 * `DependsOn` and the implicit dependencies of `Ref`, `Fn::GetAtt` and `Fn::Sub`), so with unbounded
 * parallelism the stack takes as long as its longest chain. Deletion walks the same graph backwards:
 * a resource is deleted once everything that depends on it is gone.
 *
 * One service rule adds ordering the template does not state: EKS creates and deletes one Fargate
 * profile of a cluster at a time, so profiles of a cluster are serialized here even without a
 * dependency between them.
 *
 * Pure: takes a template and a duration function, no I/O.
 */

/** Which CloudFormation operation to estimate. */
export type DeployPhase = 'create' | 'delete';

/** Seconds the given resource takes in the given phase. */
export type DurationOf = (resource: TemplateResource, phase: DeployPhase) => number;

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly [key: string]: unknown;
}

export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
}

/** One resource on the critical path. */
export interface PathStep {
  readonly id: string;
  readonly type: string;
  /** How long this resource takes, in seconds. */
  readonly seconds: number;
  /** When it finishes, in seconds from the start of the operation. */
  readonly finishesAt: number;
}

export interface DeployEstimate {
  /** Length of the critical path, in seconds. */
  readonly seconds: number;
  /** The critical path, first resource first. */
  readonly path: PathStep[];
}

/**
 * Resource types a service handles one at a time per parent, and the property naming the parent.
 * Source: "Only one Fargate profile in a cluster can be in the DELETING status at a time"
 * (EKS API reference, DeleteFargateProfile); creation is likewise one at a time (ResourceInUseException
 * while another profile is CREATING), which is why aws-eks-v2 chains the profiles it creates.
 */
const SERIALIZED_TYPES: Record<string, string> = {
  'AWS::EKS::FargateProfile': 'ClusterName',
};

/** The resources a value refers to through Ref, Fn::GetAtt or Fn::Sub (ids that are not resources included). */
function references(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((v) => references(v, into));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') {
        into.add(v);
      } else if (key === 'Fn::GetAtt') {
        into.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]);
      } else if (key === 'Fn::Sub') {
        const [text, vars] = Array.isArray(v) ? [v[0], v[1] ?? {}] : [v, {}];
        for (const m of String(text).matchAll(/\$\{([^!][^}]*)\}/g)) {
          const name = m[1].split('.')[0];
          if (!(name in vars)) {
            into.add(name);
          }
        }
        references(vars, into);
      } else {
        references(v, into);
      }
    }
  }
  return into;
}

/**
 * What each resource waits for at creation: its explicit `DependsOn` and the resources its
 * properties (or any other attribute) reference. Only ids of resources in the template are kept.
 */
export function dependencies(template: Template): Map<string, Set<string>> {
  const resources = template.Resources ?? {};
  const deps = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const found = new Set<string>([resource.DependsOn ?? []].flat());
    const { Type: _type, DependsOn: _dependsOn, ...rest } = resource;
    references(rest, found);
    deps.set(id, new Set([...found].filter((d) => d !== id && d in resources)));
  }
  return deps;
}

/** Topological order (ids sorted within a rank for a stable result); throws on a cycle. */
function topologicalOrder(preds: Map<string, Set<string>>): string[] {
  const remaining = new Map([...preds].map(([id, p]) => [id, p.size]));
  const succs = new Map<string, string[]>([...preds.keys()].map((id) => [id, []]));
  for (const [id, p] of preds) {
    p.forEach((d) => succs.get(d)!.push(id));
  }
  let ready = [...remaining].filter(([, n]) => n === 0).map(([id]) => id).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    order.push(...ready);
    const next: string[] = [];
    for (const id of ready) {
      for (const s of succs.get(id)!) {
        const n = remaining.get(s)! - 1;
        remaining.set(s, n);
        if (n === 0) {
          next.push(s);
        }
      }
    }
    ready = next.sort();
  }
  if (order.length !== preds.size) {
    const stuck = [...remaining].filter(([, n]) => n > 0).map(([id]) => id);
    throw new Error(`dependency cycle among ${stuck.join(', ')}`);
  }
  return order;
}

/** Earliest finish of every node and the predecessor that decided its start. */
function schedule(preds: Map<string, Set<string>>, seconds: Map<string, number>) {
  const order = topologicalOrder(preds);
  const start = new Map<string, number>();
  const finish = new Map<string, number>();
  const critical = new Map<string, string | undefined>();
  for (const id of order) {
    let s = 0;
    let by: string | undefined;
    for (const p of [...preds.get(id)!].sort()) {
      // The first predecessor to finish last decides the start (ties keep the first in id order).
      if (by === undefined || finish.get(p)! > s) {
        s = finish.get(p)!;
        by = p;
      }
    }
    start.set(id, s);
    finish.set(id, s + seconds.get(id)!);
    critical.set(id, by);
  }
  return { order, start, finish, critical };
}

/**
 * Chains the members of each serialized group (e.g. the Fargate profiles of one cluster) in the
 * order they would become ready, so that no two of them run at once. Ties are broken by topological
 * position, which keeps the added edges consistent with the existing ones (no cycle).
 */
function serialize(resources: Record<string, TemplateResource>, preds: Map<string, Set<string>>, seconds: Map<string, number>): void {
  const groups = new Map<string, string[]>();
  for (const [id, r] of Object.entries(resources)) {
    const parentProp = SERIALIZED_TYPES[r.Type];
    if (parentProp) {
      const key = `${r.Type} ${JSON.stringify(r.Properties?.[parentProp])}`;
      groups.set(key, [...(groups.get(key) ?? []), id]);
    }
  }
  if ([...groups.values()].every((g) => g.length < 2)) {
    return;
  }
  const { order, start } = schedule(preds, seconds);
  const position = new Map(order.map((id, i) => [id, i]));
  for (const members of groups.values()) {
    const sorted = [...members].sort((a, b) => start.get(a)! - start.get(b)! || position.get(a)! - position.get(b)!);
    for (let i = 1; i < sorted.length; i++) {
      preds.get(sorted[i])!.add(sorted[i - 1]);
    }
  }
}

/**
 * The critical path of creating (or deleting) every resource of a template, each taking
 * `durationOf(resource, phase)` seconds, all independent resources running in parallel.
 */
export function estimateDeploy(template: Template, phase: DeployPhase, durationOf: DurationOf): DeployEstimate {
  const resources = template.Resources ?? {};
  const deps = dependencies(template);
  // The resources that must be done before each one starts: its dependencies when creating,
  // its dependents when deleting.
  const preds = new Map<string, Set<string>>([...deps.keys()].map((id) => [id, new Set<string>()]));
  for (const [id, ds] of deps) {
    ds.forEach((d) => (phase === 'create' ? preds.get(id)!.add(d) : preds.get(d)!.add(id)));
  }
  const seconds = new Map(Object.entries(resources).map(([id, r]) => [id, durationOf(r, phase)]));
  serialize(resources, preds, seconds);
  const { finish, critical } = schedule(preds, seconds);
  if (finish.size === 0) {
    return { seconds: 0, path: [] };
  }
  const last = [...finish.keys()].sort().reduce((a, b) => (finish.get(b)! > finish.get(a)! ? b : a));
  const path: PathStep[] = [];
  for (let id: string | undefined = last; id !== undefined; id = critical.get(id)) {
    path.unshift({ id, type: resources[id].Type, seconds: seconds.get(id)!, finishesAt: finish.get(id)! });
  }
  return { seconds: finish.get(last)!, path };
}

/** `m:ss`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * The critical path as resource types with their durations, dropping steps that take no time
 * (retained resources at deletion) and folding repeats of one type in a row: `EKS::Cluster 10:00 → ...`.
 */
export function describePath(path: PathStep[]): string {
  const steps: Array<{ type: string; seconds: number; count: number }> = [];
  for (const step of path.filter((p) => p.seconds > 0)) {
    const type = step.type.replace(/^AWS::/, '');
    const prev = steps[steps.length - 1];
    if (prev && prev.type === type) {
      prev.seconds += step.seconds;
      prev.count++;
    } else {
      steps.push({ type, seconds: step.seconds, count: 1 });
    }
  }
  return steps.map((s) => `${s.type}${s.count > 1 ? ` ×${s.count}` : ''} ${formatDuration(s.seconds)}`).join(' → ');
}
