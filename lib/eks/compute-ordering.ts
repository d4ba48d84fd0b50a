// Module-private: the ordering and compute records behind IPlatformCluster, shared by PlatformCluster and
// the imported cluster. Not exported from lib/index.ts.
import { Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

interface ProfileRecord {
  readonly construct: IConstruct;
  readonly selectors: eks.Selector[];
  readonly podExecutionRole: iam.IRole;
}

/**
 * Who waits for whom on one cluster. A dependency is added only when the construct depended on is in the
 * dependent's stack or in the cluster's stack: the dependent's stack then deploys after it, and no stack
 * ever depends on one that depends on it (see IPlatformCluster).
 */
export class ClusterOrdering {
  public readonly nodegroups: IConstruct[] = [];
  public readonly amiTypes: string[] = [];
  public readonly profiles: ProfileRecord[] = [];
  private readonly prerequisites: IConstruct[] = [];
  private readonly computeWaiters: IConstruct[] = [];
  private readonly managedAddons: IConstruct[] = [];
  private readonly managedAddonWaiters: IConstruct[] = [];
  private readonly addons = new Map<string, IConstruct>();
  private readonly nodegroupNames = new Set<string>();
  public readonly profileNames = new Set<string>();

  constructor(private readonly home: IConstruct, private readonly knownSelectors: eks.Selector[] = []) {}

  /** Whether `dependent` may depend on `dependency` without risking a cycle between stacks. */
  public canDepend(dependent: IConstruct, dependency: IConstruct): boolean {
    const stack = Stack.of(dependency);
    return stack === Stack.of(dependent) || stack === Stack.of(this.home);
  }

  public get fargateOnly(): boolean {
    return (this.profiles.length > 0 || this.knownSelectors.length > 0) && this.nodegroups.length === 0;
  }

  /** Compute (node groups and profiles) in the cluster's own stack. */
  public get homeComputeCount(): number {
    const home = Stack.of(this.home);
    return [...this.nodegroups, ...this.profiles.map((p) => p.construct)].filter((c) => Stack.of(c) === home).length;
  }

  public addNodegroup(nodegroup: IConstruct, amiType: string, name: string | undefined, id: string): void {
    if (name !== undefined && !Token.isUnresolved(name)) {
      if (this.nodegroupNames.has(name)) {
        throw new Error(`nodegroupName: '${name}' is already used by another node group of ${this.home.node.path}, got it again for '${id}'; give each node group its own name`);
      }
      this.nodegroupNames.add(name);
    }
    // A node becomes Ready, and EKS reports the group created, only once its prerequisites run; each directly,
    // not through one another, so that they are created in parallel.
    for (const prerequisite of this.prerequisites) {
      this.depend(nodegroup, prerequisite);
    }
    // A waiter's pods need nodes to run on before it reports success.
    for (const waiter of this.computeWaiters) {
      this.depend(waiter, nodegroup);
    }
    this.nodegroups.push(nodegroup);
    this.amiTypes.push(amiType);
  }

  /** Records a profile; returns the previous profile of its stack, which it must wait for. */
  public addProfile(profile: IConstruct, selectors: eks.Selector[], podExecutionRole: iam.IRole, name: string | undefined): IConstruct | undefined {
    if (name !== undefined && !Token.isUnresolved(name)) {
      if (this.profileNames.has(name)) {
        throw new Error(`fargateProfileName: '${name}' is already used by another Fargate profile of ${this.home.node.path}, got it again; give each profile its own name`);
      }
      this.profileNames.add(name);
    }
    const stack = Stack.of(profile);
    const previous = [...this.profiles].reverse().find((p) => Stack.of(p.construct) === stack)?.construct;
    // A waiter's pods may be selected by this profile and need it before they can run.
    for (const waiter of this.computeWaiters) {
      this.depend(waiter, profile);
    }
    this.profiles.push({ construct: profile, selectors, podExecutionRole });
    return previous;
  }

  /** Whether `name` is taken by a profile of this cluster. */
  public hasProfileName(name: string): boolean {
    return this.profileNames.has(name);
  }

  public waitForCompute(construct: IConstruct): void {
    this.computeWaiters.push(construct);
    // Its pods need somewhere to run; on delete it goes before the compute.
    for (const compute of [...this.nodegroups, ...this.profiles.map((p) => p.construct)]) {
      this.depend(construct, compute);
    }
  }

  public addNodePrerequisite(construct: IConstruct): void {
    this.prerequisites.push(construct);
    for (const nodegroup of this.nodegroups) {
      this.depend(nodegroup, construct);
    }
  }

  public waitForManagedAddons(construct: IConstruct): void {
    this.managedAddonWaiters.push(construct);
    for (const addon of this.managedAddons) {
      this.depend(construct, addon);
    }
  }

  public registerManagedAddon(addon: IConstruct): void {
    this.managedAddons.push(addon);
    for (const waiter of this.managedAddonWaiters) {
      this.depend(waiter, addon);
    }
  }

  /** The names of the add-ons recorded by registerAddon, in order. */
  public get addonNames(): string[] {
    return [...this.addons.keys()];
  }

  public registerAddon(name: string, installation: IConstruct): void {
    const before = this.addons.get(name);
    if (before !== undefined) {
      throw new Error(`addons: '${name}' is already installed on ${this.home.node.path} (${before.node.path}), got it again at ${installation.node.path}; install each add-on once per cluster`);
    }
    this.addons.set(name, installation);
  }

  public fargatePodExecutionRoles(scope: IConstruct): iam.IRole[] {
    return this.profiles.filter((p) => this.canDepend(scope, p.construct)).map((p) => p.podExecutionRole);
  }

  /** See IPlatformCluster.fargateSelects. */
  public fargateSelects(namespace: string, podLabels: Record<string, string>, whenUnknown = true): boolean {
    const selectors = [...this.knownSelectors, ...this.profiles.flatMap((p) => p.selectors)];
    return selectors.some((s) => {
      const labels = Object.entries(s.labels ?? {});
      if ([s.namespace, ...labels.flat()].some((v) => Token.isUnresolved(v))) {
        return whenUnknown;
      }
      if (!globMatches(s.namespace, namespace)) {
        return false;
      }
      return labels.every(([lk, lv]) => Object.entries(podLabels).some(([key, value]) => globMatches(lk, key) && globMatches(lv, value)));
    });
  }

  private depend(dependent: IConstruct, dependency: IConstruct): void {
    if (this.canDepend(dependent, dependency)) {
      dependent.node.addDependency(dependency);
    }
  }
}

/** Whether a Fargate selector pattern, with the wildcards '*' (any characters) and '?' (one character), matches a value. */
function globMatches(pattern: string, value: string): boolean {
  const regex = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`).test(value);
}
