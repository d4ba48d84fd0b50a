import { App, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct, IConstruct } from 'constructs';
import { ClusterAddon } from '../../../lib/eks/addons/cluster-addon';
import { PlatformCluster } from '../../../lib/eks/platform-cluster';
import { PlatformClusterProps } from '../../../lib/eks/platform-cluster-props';
import { newApp, newStack } from '../../helpers';
import { renderTokens } from '../../kubernetes-manifests';

/** The compute a test cluster gets. */
export enum Compute {
  /** One managed node group and one Fargate profile (namespace `apps`). */
  MIXED = 'MIXED',
  /** One managed node group, no Fargate profile. */
  NODES_ONLY = 'NODES_ONLY',
  /** Fargate profiles only: all of kube-system, and `apps`. */
  FARGATE_ONLY = 'FARGATE_ONLY',
}

export interface TestClusterOptions {
  readonly addons?: ClusterAddon[];
  readonly compute?: Compute;
  readonly kubectl?: boolean;
}

/** A PlatformCluster in a fresh stack with the given add-ons installed through its props. */
export function clusterWith(options: TestClusterOptions = {}): { stack: Stack; cluster: PlatformCluster } {
  const stack = newStack();
  const cluster = new PlatformCluster(stack, 'Cluster', clusterProps(options));
  return { stack, cluster };
}

// Every install through PlatformCluster.addAddon (the addons prop included) is kept, so tests read the
// installation of an add-on object they hold.
const INSTALLATIONS = new Map<ClusterAddon, Construct>();
const addAddon = PlatformCluster.prototype.addAddon;
PlatformCluster.prototype.addAddon = function (this: PlatformCluster, addon: ClusterAddon, scope?: Construct): Construct {
  const installation = addAddon.call(this, addon, scope);
  INSTALLATIONS.set(addon, installation);
  return installation;
};

/** The construct the last install of an add-on object created (through clusterWith or synthWith). */
export function installationOf<T extends Construct>(addon: { install(scope: Construct, cluster: any): T }): T {
  const installation = INSTALLATIONS.get(addon as unknown as ClusterAddon);
  if (!installation) {
    throw new Error('not installed through clusterWith');
  }
  return installation as T;
}

/** Like clusterWith, and the synthesized template. */
export function synthWith(options: TestClusterOptions = {}): { stack: Stack; cluster: PlatformCluster; template: Template } {
  const { stack, cluster } = clusterWith(options);
  return { stack, cluster, template: Template.fromStack(stack) };
}

/** Props of the PlatformCluster for a compute shape. */
function clusterProps(options: TestClusterOptions): PlatformClusterProps {
  const compute = options.compute ?? Compute.MIXED;
  const apps = { id: 'Apps', selectors: [{ namespace: 'apps' }] };
  return {
    addons: options.addons,
    kubectl: options.kubectl,
    nodegroups: compute === Compute.FARGATE_ONLY ? [] : [{ id: 'Default' }],
    fargateProfiles: compute === Compute.NODES_ONLY ? [] : compute === Compute.MIXED ? [apps] : [{ id: 'System', selectors: [{ namespace: 'kube-system' }] }, apps],
  };
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(construct: IConstruct): string {
  const stack = Stack.of(construct);
  const child = (construct.node.defaultChild ?? construct) as any;
  return stack.getLogicalId(child);
}

/** The logical id of the custom resource behind a KubernetesManifest or HelmChart. */
export function customResourceId(construct: IConstruct): string {
  const resource = construct.node.findChild('Resource').node.defaultChild as any;
  return Stack.of(construct).getLogicalId(resource);
}

/**
 * The Kubernetes objects a KubernetesManifest applies, parsed from the template, without the prune
 * label aws-eks-v2 adds. Tokens inside strings (a file system id, a log group name) come back as
 * `@@<intrinsic as JSON>@@`.
 */
export function manifestObjects(template: Template, id: string): any[] {
  const resource = template.toJSON().Resources[id];
  return JSON.parse(renderTokens(resource.Properties.Manifest)).map((o: any) => {
    const labels = Object.fromEntries(Object.entries(o.metadata?.labels ?? {}).filter(([k]) => !k.startsWith('aws.cdk.eks/prune-')));
    const { labels: _, ...metadata } = o.metadata ?? {};
    return { ...o, metadata: Object.keys(labels).length ? { ...metadata, labels } : metadata };
  });
}

/** The Helm values of a HelmChart, parsed from the template, tokens rendered as in manifestObjects. */
export function helmValues(template: Template, id: string): any {
  return JSON.parse(renderTokens(template.toJSON().Resources[id].Properties.Values));
}

/** The DependsOn of a resource. */
export function dependsOn(template: Template, id: string): string[] {
  return template.toJSON().Resources[id].DependsOn ?? [];
}

/** A kubectl provider imported into `scope` from its service token, as a stack of another app would import the cluster's. */
export function importedKubectlProvider(scope: Construct, serviceToken: string): eks.IKubectlProvider {
  return eks.KubectlProvider.fromKubectlProviderAttributes(scope, 'Kubectl', {
    serviceToken,
    role: iam.Role.fromRoleArn(scope, 'KubectlRole', 'arn:aws:iam::111122223333:role/kubectl'),
  });
}

/**
 * A platform stack with a cluster (one node group), and an add-ons stack holding a kubectl provider imported
 * from it: the setting of tests that install add-ons on `PlatformCluster.fromClusterAttributes`.
 */
export function platformAndAddonsStacks(): { app: App; platformStack: Stack; platform: PlatformCluster; addonsStack: Stack; kubectlProvider: eks.IKubectlProvider } {
  const app = newApp();
  const platformStack = new Stack(app, 'Platform');
  const platform = new PlatformCluster(platformStack, 'Cluster', { nodegroups: [{ id: 'System' }] });
  const addonsStack = new Stack(app, 'Addons');
  const kubectlProvider = importedKubectlProvider(addonsStack, platform.cluster.kubectlProvider!.serviceToken);
  return { app, platformStack, platform, addonsStack, kubectlProvider };
}
