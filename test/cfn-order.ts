/**
 * The order CloudFormation gives the resources of a template: a resource is created and updated after
 * every resource it names in DependsOn or references (Ref, Fn::GetAtt, Fn::Sub), and deleted before
 * them. Resources with no path between them run in parallel.
 */
export class CfnOrder {
  private readonly direct = new Map<string, Set<string>>();

  constructor(template: { Resources: Record<string, any> }) {
    const ids = new Set(Object.keys(template.Resources));
    for (const [id, resource] of Object.entries(template.Resources)) {
      const deps = new Set<string>([resource.DependsOn ?? []].flat());
      collectReferences(resource.Properties, ids, deps);
      deps.delete(id);
      this.direct.set(id, deps);
    }
  }

  /** The resources `id` waits for, directly. */
  public dependenciesOf(id: string): Set<string> {
    const deps = this.direct.get(id);
    if (deps === undefined) {
      throw new Error(`no resource ${id} in the template`);
    }
    return deps;
  }

  /** Whether CloudFormation finishes `first` before it starts `second` (on create and update). */
  public isBefore(first: string, second: string): boolean {
    const seen = new Set<string>();
    const stack = [second];
    while (stack.length > 0) {
      const current = stack.pop()!;
      for (const dep of this.dependenciesOf(current)) {
        if (dep === first) {
          return true;
        }
        if (!seen.has(dep)) {
          seen.add(dep);
          stack.push(dep);
        }
      }
    }
    return false;
  }
}

function collectReferences(value: unknown, ids: Set<string>, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectReferences(v, ids, into));
    return;
  }
  if (value === null || typeof value !== 'object') {
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'Ref' && typeof inner === 'string' && ids.has(inner)) {
      into.add(inner);
    } else if (key === 'Fn::GetAtt') {
      const target = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
      if (ids.has(target)) {
        into.add(target);
      }
    } else if (key === 'Fn::Sub') {
      const text = Array.isArray(inner) ? inner[0] : inner;
      for (const match of String(text).matchAll(/\$\{([A-Za-z0-9]+)(?:\.[^}]*)?\}/g)) {
        if (ids.has(match[1])) {
          into.add(match[1]);
        }
      }
      if (Array.isArray(inner)) {
        collectReferences(inner[1], ids, into);
      }
    } else {
      collectReferences(inner, ids, into);
    }
  }
}
