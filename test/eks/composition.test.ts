import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { AwsLoadBalancerController, EbsCsiDriver, ManagedClusterAddon, MetricsServer, PlatformCluster, PlatformFargateProfile, PlatformNodegroup, PlatformVpc } from '../../lib';
import { platformAndAddonsStacks } from './addons/addon-test-cluster';
import { expectNoComplianceFindings, newApp } from '../helpers';

/** A platform stack with a cluster (one node group) and an application stack beside it. */
function twoStacks() {
  const app = newApp();
  const platformStack = new Stack(app, 'Platform');
  const network = new PlatformVpc(platformStack, 'Network');
  const platform = new PlatformCluster(platformStack, 'Cluster', { vpc: network.vpc, nodegroups: [{ id: 'System' }] });
  const appStack = new Stack(app, 'Apps');
  return { app, platformStack, platform, appStack };
}

const ids = (stack: Stack, constructs: Array<{ node: { defaultChild?: any } }>) => constructs.map((c) => stack.getLogicalId(c.node.defaultChild));

describe('a node group in an application stack', () => {
  const { app, platformStack, platform, appStack } = twoStacks();
  const nodes = new PlatformNodegroup(appStack, 'TeamNodes', { cluster: platform, minSize: 1, maxSize: 3 });

  test('is created in its own stack and waits for vpc-cni, kube-proxy and the Pod Identity agent across stacks', () => {
    Template.fromStack(appStack).resourceCountIs('AWS::EKS::Nodegroup', 1);
    Template.fromStack(platformStack).resourceCountIs('AWS::EKS::Nodegroup', 1);
    const deps = nodes.nodegroup.node.dependencies;
    expect(deps).toEqual(expect.arrayContaining([platform.vpcCni!.addon, platform.kubeProxy!.addon, platform.podIdentityAgent!.addon]));
    expect(appStack.dependencies).toContain(platformStack);
  });

  test('is not waited for by CoreDNS in the cluster\'s stack, so the platform stack never depends on the application stack', () => {
    expect(platform.coreDns!.addon.node.dependencies).not.toContain(nodes.nodegroup);
    expect(platformStack.dependencies).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(nodes);
  });
});

describe('Fargate profiles in an application stack', () => {
  const { app, platformStack, platform, appStack } = twoStacks();
  const first = new PlatformFargateProfile(appStack, 'Batch', { cluster: platform, selectors: [{ namespace: 'batch' }] });
  const second = new PlatformFargateProfile(appStack, 'Jobs', { cluster: platform, selectors: [{ namespace: 'jobs' }] });

  test('are created one after the other in their stack, as EKS takes one profile change at a time', () => {
    const template = Template.fromStack(appStack);
    template.resourceCountIs('AWS::EKS::FargateProfile', 2);
    const [firstId, secondId] = ids(appStack, [first, second]);
    expect(template.toJSON().Resources[secondId].DependsOn).toContain(firstId);
  });

  test('do not make the cluster\'s kubectl barrier or stack depend on the application stack', () => {
    expect(platformStack.dependencies).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('count for add-ons asking where pods run', () => {
    expect(platform.fargateSelects('batch', {})).toBe(true);
    expect(platform.fargateSelects('web', {})).toBe(false);
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(first);
  });
});

describe('add-ons installed from an application stack', () => {
  const { app, platformStack, platform, appStack } = twoStacks();
  const ebs = new EbsCsiDriver().install(appStack, platform);
  const metrics = new MetricsServer().install(appStack, platform);
  const lbc = new AwsLoadBalancerController().install(appStack, platform);

  test('create their resources in the application stack, with defined members', () => {
    const template = Template.fromStack(appStack);
    template.resourceCountIs('AWS::EKS::Addon', 2);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
    expect(Stack.of(ebs.role)).toBe(appStack);
    expect(Stack.of(lbc.chart)).toBe(appStack);
  });

  test('wait for the compute of the cluster\'s stack', () => {
    expect(metrics.addon.node.dependencies).toContain(platform.nodegroups[0]);
  });

  test('make the load balancer controller wait for managed add-ons of its own stack', () => {
    expect(lbc.chart.node.dependencies).toEqual(expect.arrayContaining([ebs.addon, metrics.addon]));
  });

  test('leave the platform stack independent of the application stack', () => {
    expect(platformStack.dependencies).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails when an add-on is installed twice on one cluster across stacks', () => {
    expect(() => new MetricsServer().install(platformStack, platform)).toThrow(/^addons: 'metrics-server' is already installed on Platform\/Cluster/);
  });
});

describe('an imported cluster', () => {
  const { app, platform, addonsStack, kubectlProvider } = platformAndAddonsStacks();
  const imported = PlatformCluster.fromClusterAttributes(addonsStack, 'Imported', {
    clusterName: 'platform-cluster',
    vpc: platform.vpc,
    version: eks.KubernetesVersion.V1_36,
    kubectlProvider,
  });
  const lbc = new AwsLoadBalancerController().install(addonsStack, imported);
  const ebs = new EbsCsiDriver().install(addonsStack, imported);

  test('takes add-ons that apply Helm charts and manifests through its kubectl provider', () => {
    const template = Template.fromStack(addonsStack);
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { ClusterName: 'platform-cluster', Chart: 'aws-load-balancer-controller' });
    template.hasResourceProperties('AWS::EKS::Addon', { ClusterName: 'platform-cluster', AddonName: 'aws-ebs-csi-driver' });
    expect(ebs.storageClass).toBeDefined();
    expect(lbc.role).toBeDefined();
    expect(() => app.synth()).not.toThrow();
  });

  test('says what it knows of its compute: nothing unless told', () => {
    expect(imported.fargateOnly).toBe(false);
    expect(imported.nodegroupAmiTypes).toEqual([]);
  });

  test('fails for an add-on that applies a chart when no kubectl provider is given', () => {
    const bare = PlatformCluster.fromClusterAttributes(addonsStack, 'Bare', { clusterName: 'c', vpc: platform.vpc, version: eks.KubernetesVersion.V1_36 });
    expect(() => new AwsLoadBalancerController().install(bare, bare)).toThrow(/^kubectl: the aws-load-balancer-controller add-on installs a Helm chart and needs the cluster's kubectl handler/);
  });

  test('fails for an add-on that binds Pod Identity when the cluster has no agent', () => {
    const noAgent = PlatformCluster.fromClusterAttributes(addonsStack, 'NoAgent', { clusterName: 'c', vpc: platform.vpc, version: eks.KubernetesVersion.V1_36, kubectlProvider, podIdentityAgent: false });
    expect(() => new EbsCsiDriver().install(noAgent, noAgent)).toThrow(/^cluster: the aws-ebs-csi-driver add-on binds its role through EKS Pod Identity/);
  });
});

describe('one add-on object on two clusters', () => {
  test('installs twice, each installation with its own add-on resource', () => {
    const { platform, appStack } = twoStacks();
    const other = new PlatformCluster(appStack, 'Other', { kubectl: false, nodegroups: [{ id: 'N' }] });
    const snapshot = new ManagedClusterAddon({ addonName: 'snapshot-controller' });
    const a = snapshot.install(platform, platform);
    const b = snapshot.install(other, other);
    expect(a.addon).not.toBe(b.addon);
    expect(a.node.path).toBe('Platform/Cluster/snapshot-controller');
    expect(b.node.path).toBe('Apps/Other/snapshot-controller');
  });
});
