// Module-private: the cluster PlatformCluster.fromClusterAttributes returns. Not exported from lib/index.ts.
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ClusterOrdering } from './compute-ordering';
import type { IPlatformCluster, PlatformClusterAttributes } from './platform-cluster-ref';

/**
 * A cluster created elsewhere, on aws-eks-v2's `Cluster.fromClusterAttributes`. This app sees only the
 * compute created here (PlatformNodegroup, PlatformFargateProfile with this object) and what the attributes
 * say; ordering covers those only: add-ons do not wait for node groups the cluster already has, which
 * exist before this stack deploys anyway.
 */
export class ImportedPlatformCluster extends Construct implements IPlatformCluster {
  public readonly eksCluster: eks.ICluster;
  public readonly vpc: ec2.IVpc;
  public readonly version: eks.KubernetesVersion;
  public readonly kubectlEnabled: boolean;
  public readonly podIdentityAgentInstalled: boolean;
  private readonly ordering: ClusterOrdering;
  private readonly attrs: PlatformClusterAttributes;

  constructor(scope: Construct, id: string, attrs: PlatformClusterAttributes) {
    super(scope, id);
    this.attrs = attrs;
    this.vpc = attrs.vpc;
    this.version = attrs.version;
    this.kubectlEnabled = attrs.kubectlProvider !== undefined;
    this.podIdentityAgentInstalled = attrs.podIdentityAgent ?? true;
    this.eksCluster = eks.Cluster.fromClusterAttributes(this, 'Cluster', {
      clusterName: attrs.clusterName,
      vpc: attrs.vpc,
      clusterSecurityGroupId: attrs.clusterSecurityGroupId,
      openIdConnectProvider: attrs.openIdConnectProvider,
      kubectlProvider: attrs.kubectlProvider,
    });
    this.ordering = new ClusterOrdering(this, attrs.fargateSelectors ?? []);
  }

  public get fargateOnly(): boolean {
    return this.attrs.fargateOnly ?? (this.ordering.fargateOnly && (this.attrs.nodegroupAmiTypes ?? []).length === 0);
  }

  public get nodegroupAmiTypes(): string[] {
    return [...(this.attrs.nodegroupAmiTypes ?? []), ...this.ordering.amiTypes];
  }

  public get addonNames(): string[] {
    return this.ordering.addonNames;
  }

  public fargateSelects(namespace: string, podLabels: Record<string, string>, whenUnknown?: boolean): boolean {
    return this.ordering.fargateSelects(namespace, podLabels, whenUnknown);
  }

  public fargatePodExecutionRoles(scope: IConstruct): iam.IRole[] {
    return this.ordering.fargatePodExecutionRoles(scope);
  }

  public waitForCompute(construct: IConstruct): void {
    this.ordering.waitForCompute(construct);
  }

  public addNodePrerequisite(construct: IConstruct): void {
    this.ordering.addNodePrerequisite(construct);
  }

  public waitForManagedAddons(construct: IConstruct): void {
    this.ordering.waitForManagedAddons(construct);
  }

  public registerManagedAddon(addon: IConstruct): void {
    this.ordering.registerManagedAddon(addon);
  }

  public registerAddon(name: string, installation: IConstruct): void {
    this.ordering.registerAddon(name, installation);
  }

  public registerNodegroup(nodegroup: eks.INodegroup, amiType: string): void {
    const cfn = nodegroup.node.defaultChild as eks.CfnNodegroup | undefined;
    this.ordering.addNodegroup(nodegroup, amiType, cfn?.nodegroupName, nodegroup.node.id);
  }

  public registerFargateProfile(profile: IConstruct, selectors: eks.Selector[], podExecutionRole: iam.IRole, profileName?: string): IConstruct | undefined {
    return this.ordering.addProfile(profile, selectors, podExecutionRole, profileName);
  }
}
