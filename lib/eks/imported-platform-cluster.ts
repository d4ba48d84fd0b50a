// Module-private: the cluster PlatformCluster.fromClusterAttributes returns. Not exported from lib/index.ts.
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { PlatformClusterBase } from './platform-cluster-base';
import type { PlatformClusterAttributes } from './platform-cluster-ref';

/**
 * A cluster created elsewhere, on aws-eks-v2's `Cluster.fromClusterAttributes`. This app sees only the
 * compute created here (PlatformNodegroup, PlatformFargateProfile with this object) and what the attributes
 * say; ordering covers those only: add-ons do not wait for node groups the cluster already has, which
 * exist before this stack deploys anyway.
 */
export class ImportedPlatformCluster extends PlatformClusterBase {
  public readonly eksCluster: eks.ICluster;
  public readonly vpc: ec2.IVpc;
  public readonly version: eks.KubernetesVersion;
  public readonly kubectlEnabled: boolean;
  public readonly podIdentityAgentInstalled: boolean;
  private readonly attrs: PlatformClusterAttributes;

  constructor(scope: Construct, id: string, attrs: PlatformClusterAttributes) {
    super(scope, id, attrs.fargateSelectors ?? []);
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
  }

  public get fargateOnly(): boolean {
    return this.attrs.fargateOnly ?? (this._ordering.fargateOnly && (this.attrs.nodegroupAmiTypes ?? []).length === 0);
  }

  public get nodegroupAmiTypes(): string[] {
    return [...(this.attrs.nodegroupAmiTypes ?? []), ...this._ordering.amiTypes];
  }
}
