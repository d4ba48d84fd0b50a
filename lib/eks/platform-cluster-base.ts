import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterOrdering } from './compute-ordering';
import type { IPlatformCluster } from './platform-cluster-ref';

/**
 * What `PlatformCluster` and an imported cluster (`PlatformCluster.fromClusterAttributes`) share: the
 * ordering of node groups, Fargate profiles and add-ons that `IPlatformCluster` promises, kept in one
 * place so that both kinds of cluster order the same way.
 */
export abstract class PlatformClusterBase extends Construct implements IPlatformCluster {
  public abstract readonly eksCluster: eks.ICluster;
  public abstract readonly vpc: ec2.IVpc;
  public abstract readonly version: eks.KubernetesVersion;
  public abstract readonly kubectlEnabled: boolean;
  public abstract readonly podIdentityAgentInstalled: boolean;
  public abstract readonly fargateOnly: boolean;
  public abstract readonly nodegroupAmiTypes: string[];

  /** @internal */
  protected readonly _ordering: ClusterOrdering;

  /**
   * @param scope the scope
   * @param id the construct id
   * @param knownFargateSelectors selectors of Fargate profiles that exist outside this app
   */
  protected constructor(scope: Construct, id: string, knownFargateSelectors: eks.Selector[] = []) {
    super(scope, id);
    this._ordering = new ClusterOrdering(this, knownFargateSelectors);
  }

  public get installedAddonNames(): string[] {
    return this._ordering.addonNames;
  }

  public fargateSelects(namespace: string, podLabels: Record<string, string>, whenUnknown?: boolean): boolean {
    return this._ordering.fargateSelects(namespace, podLabels, whenUnknown);
  }

  public fargatePodExecutionRoles(scope: IConstruct): iam.IRole[] {
    return this._ordering.fargatePodExecutionRoles(scope);
  }

  public waitForCompute(construct: IConstruct): void {
    this._ordering.waitForCompute(construct);
  }

  public addNodePrerequisite(construct: IConstruct): void {
    this._ordering.addNodePrerequisite(construct);
  }

  /**
   * Makes a construct wait for the cluster's EKS managed add-ons of its stack and of the cluster's stack,
   * including those installed later. Do not pass a construct that a managed add-on depends on: that would
   * be a dependency cycle.
   */
  public waitForManagedAddons(construct: IConstruct): void {
    this._ordering.waitForManagedAddons(construct);
  }

  public registerManagedAddon(addon: IConstruct): void {
    this._ordering.registerManagedAddon(addon);
  }

  public registerAddon(name: string, installation: IConstruct): void {
    this._ordering.registerAddon(name, installation);
  }

  public registerNodegroup(nodegroup: eks.INodegroup, amiType: string): void {
    const cfn = nodegroup.node.defaultChild as eks.CfnNodegroup | undefined;
    // PlatformCluster.addNodegroup(id) names the construct `Nodegroup<id>`; messages use the id the user gave.
    this._ordering.addNodegroup(nodegroup, amiType, cfn?.nodegroupName, nodegroup.node.id.replace(/^Nodegroup/, '') || nodegroup.node.id);
  }

  public registerFargateProfile(profile: IConstruct, selectors: eks.Selector[], podExecutionRole: iam.IRole, profileName?: string): IConstruct | undefined {
    return this._ordering.addProfile(profile, selectors, podExecutionRole, profileName);
  }
}
