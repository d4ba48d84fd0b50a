import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PlatformCluster, PlatformClusterProps, PlatformNodegroupOptions, PlatformVpc, VpcLayout } from '../../lib';
import { IClusterAddon } from '../../lib/eks/addons/cluster-addon';
import { newStack } from '../helpers';

function cluster(props: PlatformClusterProps = {}): PlatformCluster {
  return new PlatformCluster(newStack(), 'Platform', props);
}

function nodegroup(options: PlatformNodegroupOptions): void {
  cluster({ kubectl: false }).addNodegroup('Workers', options);
}

describe('PlatformCluster rejects bad input at synth', () => {
  test('fails when minSize is greater than maxSize', () => {
    expect(() => nodegroup({ minSize: 5, maxSize: 3 })).toThrow(/^minSize and maxSize: node group 'Workers' has minSize 5 greater than maxSize 3; raise maxSize/);
  });

  test('fails when desiredSize is outside minSize..maxSize', () => {
    expect(() => nodegroup({ minSize: 1, maxSize: 3, desiredSize: 4 })).toThrow(/^desiredSize: node group 'Workers' must start between minSize 1 and maxSize 3, got 4/);
  });

  test('fails when an ARM instance type meets an x86 AMI', () => {
    expect(() => nodegroup({ instanceTypes: [new ec2.InstanceType('m7g.large')], amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD }))
      .toThrow(/^amiType and instanceTypes: node group 'Workers' has the x86_64 AMI AL2023_x86_64_STANDARD but ARM instance types, got m7g.large; use AL2023_ARM_64_STANDARD/);
  });

  test('fails when an x86 instance type meets an ARM AMI', () => {
    expect(() => nodegroup({ instanceTypes: [new ec2.InstanceType('m7i.large')], amiType: eks.NodegroupAmiType.BOTTLEROCKET_ARM_64 }))
      .toThrow(/^amiType and instanceTypes: node group 'Workers' has the ARM AMI BOTTLEROCKET_ARM_64 but x86_64 instance types/);
  });

  test('fails when one node group mixes architectures', () => {
    expect(() => nodegroup({ instanceTypes: [new ec2.InstanceType('m7i.large'), new ec2.InstanceType('m7g.large')] }))
      .toThrow(/^instanceTypes: node group 'Workers' mixes ARM and x86_64 instance types/);
  });

  test('fails when an AL2 AMI is used on Kubernetes 1.33 or later', () => {
    expect(() => nodegroup({ amiType: eks.NodegroupAmiType.AL2_X86_64 })).toThrow(/^amiType: EKS publishes no Amazon Linux 2 AMIs for Kubernetes 1.36, got AL2_x86_64 on node group 'Workers'; use AL2023_X86_64_STANDARD/);
  });

  test('fails when maxUnavailable and maxUnavailablePercentage are both set', () => {
    expect(() => nodegroup({ maxUnavailable: 1, maxUnavailablePercentage: 20 })).toThrow(/^maxUnavailable and maxUnavailablePercentage: node group 'Workers' sets both/);
  });

  test('fails when the IMDS hop limit is out of range', () => {
    expect(() => nodegroup({ imdsHopLimit: 0 })).toThrow(/^imdsHopLimit: node group 'Workers' needs a hop limit from 1 to 64, got 0/);
  });

  test('fails when a node group name is invalid', () => {
    expect(() => nodegroup({ nodegroupName: 'bad name!' })).toThrow(/^nodegroupName: not a valid EKS node group name, got 'bad name!'/);
  });

  test('fails when two node groups share a name', () => {
    const platform = cluster({ kubectl: false });
    platform.addNodegroup('A', { nodegroupName: 'workers' });
    expect(() => platform.addNodegroup('B', { nodegroupName: 'workers' })).toThrow(/^nodegroupName: 'workers' is already used by another node group of Test\/Platform, got it again for 'B'/);
  });

  test('fails when a Fargate profile has no selector', () => {
    expect(() => cluster({ kubectl: false }).addFargateProfile('P', { selectors: [] })).toThrow(/^selectors: a Fargate profile takes 1 to 5 selectors, got 0 on profile 'P'; select at least one namespace/);
  });

  test('fails when a Fargate profile has more than five selectors', () => {
    const selectors = ['a', 'b', 'c', 'd', 'e', 'f'].map((namespace) => ({ namespace }));
    expect(() => cluster({ kubectl: false }).addFargateProfile('P', { selectors })).toThrow(/^selectors: a Fargate profile takes 1 to 5 selectors, got 6 on profile 'P'; split/);
  });

  test('fails when a selector has an empty namespace', () => {
    expect(() => cluster({ kubectl: false }).addFargateProfile('P', { selectors: [{ namespace: ' ' }] })).toThrow(/^selectors: every selector needs a namespace, got ' ' on profile 'P'/);
  });

  test('fails when a selector has more than five labels', () => {
    const labels = { a: '1', b: '2', c: '3', d: '4', e: '5', f: '6' };
    expect(() => cluster({ kubectl: false }).addFargateProfile('P', { selectors: [{ namespace: 'apps', labels }] })).toThrow(/^selectors: a Fargate selector takes up to 5 labels, got 6/);
  });

  test('fails when a Fargate profile name is invalid', () => {
    expect(() => cluster({ kubectl: false }).addFargateProfile('P', { fargateProfileName: '-x', selectors: [{ namespace: 'a' }] })).toThrow(/^fargateProfileName: not a valid Fargate profile name, got '-x'/);
  });

  test('fails when two Fargate profiles share a name', () => {
    const platform = cluster({ kubectl: false });
    platform.addFargateProfile('A', { fargateProfileName: 'apps', selectors: [{ namespace: 'a' }] });
    expect(() => platform.addFargateProfile('B', { fargateProfileName: 'apps', selectors: [{ namespace: 'b' }] })).toThrow(/^fargateProfileName: 'apps' is already used by another Fargate profile/);
  });

  test('fails when the cluster name is invalid', () => {
    expect(() => cluster({ clusterName: 'my cluster' })).toThrow(/^clusterName: not a valid EKS cluster name, got 'my cluster'/);
  });

  test('fails when the Kubernetes version has no bundled kubectl layer and none is given', () => {
    expect(() => cluster({ version: eks.KubernetesVersion.V1_35 })).toThrow(/^version: this library bundles a kubectl layer for Kubernetes 1.36 only, got 1.35; pass kubectlLayer \(e.g. KubectlV35Layer/);
  });

  test('fails when a private endpoint meets a VPC without private subnets', () => {
    const stack = newStack();
    const net = new PlatformVpc(stack, 'Net', { layout: VpcLayout.PUBLIC_ONLY });
    expect(() => new PlatformCluster(stack, 'Platform', { vpc: net.vpc })).toThrow(/^endpointAccess: a private endpoint needs private subnets/);
  });

  test('fails when an endpoint CIDR is not a CIDR', () => {
    expect(() => cluster({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('my office') })).toThrow(/^endpointAccess: onlyFrom takes IPv4 CIDR blocks, got 'my office'/);
  });

  test('fails when namespace access names no namespace', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/team');
    expect(() => new PlatformCluster(stack, 'Platform', { namespaceAccess: [{ role, namespaces: [] }] })).toThrow(/^namespaceAccess: role access 'NamespaceAccess0' names no namespace, got \[\]/);
  });

  test('fails when an add-on is installed twice', () => {
    const addon: IClusterAddon = { name: 'probe', install: () => undefined };
    const platform = cluster({ kubectl: false, addons: [addon] });
    expect(() => platform.addAddon({ name: 'probe', install: () => undefined })).toThrow(/^addons: 'probe' is already installed on Test\/Platform; install each add-on once$/);
  });

  test('fails when a managed add-on registered for waitForManagedAddons is in another stack', () => {
    const app = new App();
    const platform = new PlatformCluster(new Stack(app, 'PlatformStack'), 'Platform', { kubectl: false });
    const addon = new eks.CfnAddon(new Stack(app, 'AppStack'), 'Addon', { addonName: 'snapshot-controller', clusterName: platform.cluster.clusterName });
    expect(() => platform.registerManagedAddon(addon)).toThrow(/^addon: a managed add-on registered with PlatformStack\/Platform must be in its stack PlatformStack, got AppStack\/Addon in stack AppStack; create the add-on in the cluster's stack$/);
  });

  test('fails at synth when a Fargate-only cluster has no profile for CoreDNS', () => {
    const platform = cluster({ kubectl: false, fargateProfiles: [{ id: 'Apps', selectors: [{ namespace: 'apps' }] }] });
    expect(() => (platform.node.root as App).synth()).toThrow(/fargateProfiles: on a Fargate-only cluster CoreDNS runs on Fargate, got no profile selecting namespace kube-system/);
  });

  test('warns when a spot node group has a single instance type', () => {
    const platform = cluster({ kubectl: false, nodegroups: [{ id: 'Spot', capacityType: eks.CapacityType.SPOT }] });
    Annotations.fromStack(Stack.of(platform)).hasWarning('/Test/Platform', Match.stringLikeRegexp("spot node group 'Spot' draws from one spot pool"));
  });
});
