import { Construct } from 'constructs';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ComplianceReport, ContainerInsights, PlatformCluster, PlatformClusterProps, PlatformNodegroupOptions, PlatformVpc, VpcLayout } from '../../lib';
import { ClusterAddon } from '../../lib/eks/addons/cluster-addon';
import { complianceRuleIds, newStack } from '../helpers';

function cluster(props: PlatformClusterProps = {}): PlatformCluster {
  return new PlatformCluster(newStack(), 'Platform', props);
}

function nodegroup(options: PlatformNodegroupOptions): void {
  cluster({ kubectl: false }).addNodegroup('Workers', options);
}

describe('PlatformCluster rejects bad input at synth', () => {
  test('fails when minSize is greater than maxSize', () => {
    expect(() => nodegroup({ minSize: 5, maxSize: 3 })).toThrow(/^minSize and maxSize: node group 'Workers' has minSize greater than maxSize, got minSize 5 and maxSize 3; raise maxSize/);
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
    expect(() => cluster({ version: eks.KubernetesVersion.V1_32 })).toThrow(/^version: this library bundles a kubectl layer for Kubernetes 1.33, 1.34, 1.35, 1.36 only, got 1.32; pass kubectlLayer \(e.g. KubectlV32Layer/);
  });

  test('fails when a private endpoint meets a VPC without private subnets', () => {
    const stack = newStack();
    const net = new PlatformVpc(stack, 'Net', { layout: VpcLayout.PUBLIC_ONLY });
    expect(() => new PlatformCluster(stack, 'Platform', { vpc: net.vpc })).toThrow(/^endpointAccess: a private endpoint needs private subnets/);
  });

  test('fails when an endpoint CIDR is not a CIDR', () => {
    expect(() => cluster({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('my office') })).toThrow(/^endpointAccess: onlyFrom takes IPv4 CIDR blocks, got 'my office'/);
    expect(() => cluster({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.300/24') })).toThrow(/^endpointAccess: onlyFrom takes IPv4 CIDR blocks, got '203.0.113.300\/24'/);
    expect(() => cluster({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/33') })).toThrow(/^endpointAccess: onlyFrom takes IPv4 CIDR blocks, got '203.0.113.0\/33'/);
  });

  test('fails when namespace access names no namespace', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/team');
    expect(() => new PlatformCluster(stack, 'Platform', { namespaceAccess: [{ role, namespaces: [] }] })).toThrow(/^namespaceAccess: role access 'NamespaceAccess0' names no namespace, got \[\]/);
  });

  test('fails when an add-on is installed twice', () => {
    const addon: ClusterAddon = { name: 'probe', install: (scope) => new Construct(scope, 'Probe') };
    const platform = cluster({ kubectl: false, addons: [addon] });
    expect(() => platform.addAddon({ name: 'probe', install: (scope) => new Construct(scope, 'Probe2') })).toThrow(/^addons: 'probe' is already installed on Test\/Platform, got it again; install each add-on once$/);
  });

  test('does not make a waiter in the cluster\'s stack wait for a managed add-on registered from another stack', () => {
    const app = new App();
    const platformStack = new Stack(app, 'PlatformStack');
    const platform = new PlatformCluster(platformStack, 'Platform', { kubectl: false, nodegroups: [{ id: 'N' }] });
    const waiter = new eks.CfnAddon(platformStack, 'Waiter', { addonName: 'waiter', clusterName: platform.cluster.clusterName });
    platform.waitForManagedAddons(waiter);
    const addon = new eks.CfnAddon(new Stack(app, 'AppStack'), 'Addon', { addonName: 'snapshot-controller', clusterName: platform.cluster.clusterName });
    platform.registerManagedAddon(addon);
    expect(waiter.node.dependencies).not.toContain(addon);
    expect(platformStack.dependencies).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails at synth when a Fargate-only cluster has no profile for CoreDNS', () => {
    const platform = cluster({ kubectl: false, fargateProfiles: [{ id: 'Apps', selectors: [{ namespace: 'apps' }] }] });
    expect(() => (platform.node.root as App).synth()).toThrow(/fargateProfiles: on a Fargate-only cluster CoreDNS runs on Fargate, got no profile selecting namespace kube-system/);
  });

  test('accepts a Fargate-only cluster whose CoreDNS profile uses wildcards or a namespace unknown at synth', () => {
    const wildcard = cluster({ kubectl: false, fargateProfiles: [{ id: 'System', selectors: [{ namespace: 'kube-*', labels: { 'k8s-app': 'kube-?ns' } }] }] });
    expect(() => (wildcard.node.root as App).synth()).not.toThrow();
    const stack = newStack();
    const namespace = new CfnParameter(stack, 'SystemNamespace', { type: 'String' }).valueAsString;
    new PlatformCluster(stack, 'Platform', { kubectl: false, fargateProfiles: [{ id: 'System', selectors: [{ namespace }] }] });
    expect(() => (stack.node.root as App).synth()).not.toThrow();
  });

  test('fails when the Kubernetes version is unknown at synth and no kubectl layer is given', () => {
    const stack = newStack();
    const version = eks.KubernetesVersion.of(new CfnParameter(stack, 'Version', { type: 'String' }).valueAsString);
    expect(() => new PlatformCluster(stack, 'Platform', { version })).toThrow(/^version: the kubectl layer must match the Kubernetes version, got a version unknown at synth \(a token, e.g. a CfnParameter value\); pass the matching kubectlLayer, or set kubectl: false$/);
  });

  test('fails when minSize is negative or fractional', () => {
    expect(() => nodegroup({ minSize: -1 })).toThrow(/^minSize: node group 'Workers' needs a whole number of nodes from 0, got -1; pass 0 or more$/);
  });

  test('fails when maxSize is below one', () => {
    expect(() => nodegroup({ minSize: 0, maxSize: 0 })).toThrow(/^maxSize: node group 'Workers' needs at least one node at most, got 0; pass 1 or more$/);
  });

  test('fails when maxUnavailable or maxUnavailablePercentage is out of range', () => {
    expect(() => nodegroup({ maxUnavailable: 0 })).toThrow(/^maxUnavailable: node group 'Workers' needs a whole number of nodes from 1 to 100 \(the EKS limit\), got 0/);
    expect(() => nodegroup({ maxUnavailablePercentage: 101 })).toThrow(/^maxUnavailablePercentage: node group 'Workers' needs a whole percentage from 1 to 100, got 101/);
  });

  test('fails when instanceTypes is empty', () => {
    expect(() => nodegroup({ instanceTypes: [] })).toThrow(/^instanceTypes: node group 'Workers' needs at least one instance type, got \[\]/);
  });

  test('fails when the node disk is larger than gp3 allows', () => {
    expect(() => nodegroup({ diskSize: 16385 })).toThrow(/^diskSize: node group 'Workers' needs a disk size in whole GiB from 1 to 16384 \(the gp3 maximum\), got 16385/);
    expect(() => nodegroup({ diskSize: 0 })).toThrow(/^diskSize: .*got 0/);
  });

  test('fails when a node label key or value is not valid for EKS or Kubernetes', () => {
    expect(() => nodegroup({ labels: { 'team name': 'a' } })).toThrow(/^labels: node group 'Workers' has a label key that EKS or Kubernetes rejects, got 'team name'/);
    expect(() => nodegroup({ labels: { ['example.com/' + 'x'.repeat(60)]: 'a' } })).toThrow(/^labels: node group 'Workers' has a label key .*at most 63 characters/);
    expect(() => nodegroup({ labels: { '-team': 'a' } })).toThrow(/^labels: .*got '-team'/);
    expect(() => nodegroup({ labels: { team: 'x'.repeat(64) } })).toThrow(/^labels: node group 'Workers' has a value for 'team' that EKS or Kubernetes rejects/);
    expect(() => nodegroup({ labels: { team: '' } })).toThrow(/^labels: node group 'Workers' has a value for 'team'.*got ''/);
    expect(() => nodegroup({ labels: { team: 'a/b' } })).toThrow(/^labels: .*got 'a\/b'/);
  });

  test('fails when a taint is not valid for EKS or Kubernetes', () => {
    expect(() => nodegroup({ taints: [{ key: 'dedicated group', value: 'gpu', effect: eks.TaintEffect.NO_SCHEDULE }] })).toThrow(/^taints: node group 'Workers' has a taint key that EKS or Kubernetes rejects, got 'dedicated group'/);
    expect(() => nodegroup({ taints: [{ key: 'dedicated', value: 'g p u', effect: eks.TaintEffect.NO_SCHEDULE }] })).toThrow(/^taints: node group 'Workers' has a value for taint 'dedicated'/);
    expect(() => nodegroup({ taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as eks.TaintEffect }] })).toThrow(/^taints: node group 'Workers' has taint 'dedicated' without a valid effect, got NoSchedule/);
    expect(() => nodegroup({ taints: [{ key: 'dedicated', value: 'a', effect: eks.TaintEffect.NO_SCHEDULE }, { key: 'dedicated', value: 'b', effect: eks.TaintEffect.NO_SCHEDULE }] }))
      .toThrow(/^taints: node group 'Workers' has two taints with key 'dedicated' and effect NO_SCHEDULE/);
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, effect: eks.TaintEffect.NO_SCHEDULE }));
    expect(() => nodegroup({ taints: many })).toThrow(/^taints: a node group takes at most 50 taints, got 51/);
  });

  test('fails when an instance type is listed twice', () => {
    expect(() => nodegroup({ instanceTypes: [new ec2.InstanceType('m7i.large'), new ec2.InstanceType('m7i.large')] })).toThrow(/^instanceTypes: node group 'Workers' lists an instance type twice/);
  });

  test('fails when maxUnavailable exceeds maxSize', () => {
    expect(() => nodegroup({ minSize: 1, maxSize: 2, maxUnavailable: 3 })).toThrow(/^maxUnavailable and maxSize: node group 'Workers' may take 3 nodes down at once but has at most 2/);
  });

  test('fails when desiredSize is not a whole number', () => {
    expect(() => nodegroup({ desiredSize: 2.5 })).toThrow(/^desiredSize: node group 'Workers' needs a whole number of nodes from 0, got 2.5/);
  });

  test('fails when two node groups or two Fargate profiles in props share an id', () => {
    expect(() => cluster({ kubectl: false, nodegroups: [{ id: 'Workers' }, { id: 'Workers', minSize: 1 }] })).toThrow(/^nodegroups: id 'Workers' is used twice/);
    expect(() => cluster({ kubectl: false, fargateProfiles: [{ id: 'Apps', selectors: [{ namespace: 'a' }] }, { id: 'Apps', selectors: [{ namespace: 'b' }] }] }))
      .toThrow(/^fargateProfiles: id 'Apps' is used twice/);
  });

  test('fails when addNodegroup or addFargateProfile reuse an id', () => {
    const platform = cluster({ kubectl: false, nodegroups: [{ id: 'Workers' }] });
    expect(() => platform.addNodegroup('Workers')).toThrow(/^nodegroups: id 'Workers' is already used on Test\/Platform/);
    platform.addFargateProfile('Apps', { selectors: [{ namespace: 'a' }] });
    expect(() => platform.addFargateProfile('Apps', { selectors: [{ namespace: 'b' }] })).toThrow(/^fargateProfiles: id 'Apps' is already used on Test\/Platform/);
  });

  test('fails when a role is given cluster access twice', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/team');
    expect(() => new PlatformCluster(stack, 'A', { kubectl: false, admins: [role, role] })).toThrow(/^admins and namespaceAccess: a role may be given access once, got 'arn:aws:iam::111122223333:role\/team' in admins\[0\] and in admins\[1\]/);
    expect(() => new PlatformCluster(stack, 'B', { kubectl: false, admins: [role], namespaceAccess: [{ role, namespaces: ['apps'] }] })).toThrow(/^admins and namespaceAccess: .*in admins\[0\] and in namespaceAccess\[0\]/);
    expect(() => new PlatformCluster(stack, 'C', { kubectl: false, namespaceAccess: [{ role, namespaces: ['apps'] }, { role, namespaces: ['web'] }] })).toThrow(/^admins and namespaceAccess: .*listing all its namespaces there/);
  });

  test('fails when namespace access lists a namespace twice or a name that is not a namespace', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/team');
    expect(() => new PlatformCluster(stack, 'A', { kubectl: false, namespaceAccess: [{ role, namespaces: ['apps', 'apps'] }] })).toThrow(/^namespaceAccess: namespaceAccess\[0\] lists a namespace twice/);
    expect(() => new PlatformCluster(stack, 'B', { kubectl: false, namespaceAccess: [{ role, namespaces: ['Apps'] }] })).toThrow(/^namespaceAccess: not a Kubernetes namespace name/);
    expect(() => new PlatformCluster(stack, 'C', { kubectl: false, namespaceAccess: [{ role, namespaces: ['a'.repeat(64)] }] })).toThrow(/^namespaceAccess: not a Kubernetes namespace name/);
  });

  test('fails when a Fargate selector namespace or label is not valid for Kubernetes', () => {
    const profile = (selectors: eks.Selector[]) => () => cluster({ kubectl: false }).addFargateProfile('P', { selectors });
    expect(profile([{ namespace: 'My_Apps' }])).toThrow(/^selectors: not a Kubernetes namespace name on profile 'P', got 'My_Apps'/);
    expect(profile([{ namespace: 'a'.repeat(64) }])).toThrow(/^selectors: not a Kubernetes namespace name/);
    expect(profile([{ namespace: 'apps', labels: { 'app name': 'web' } }])).toThrow(/^selectors: not a Kubernetes label key on profile 'P', got 'app name'/);
    expect(profile([{ namespace: 'apps', labels: { app: 'web site' } }])).toThrow(/^selectors: not a Kubernetes label value for 'app' on profile 'P', got 'web site'/);
  });

  test('fails when a log retention is a number CloudWatch Logs does not accept', () => {
    expect(() => cluster({ kubectl: false, logRetention: 10 as logs.RetentionDays })).toThrow(/^logRetention: CloudWatch Logs keeps logs for one of .* days \(or INFINITE\), got 10/);
    expect(() => new ContainerInsights({ fargateLogRetention: 1000 as logs.RetentionDays })).toThrow(/^fargateLogRetention: CloudWatch Logs keeps logs .*got 1000/);
  });

  test('fails when node groups are put in public subnets that assign no public IP', () => {
    const stack = newStack();
    const net = new PlatformVpc(stack, 'Net');
    const platform = new PlatformCluster(stack, 'Platform', { vpc: net.vpc, kubectl: false });
    expect(() => platform.addNodegroup('Edge', { subnets: { subnetType: ec2.SubnetType.PUBLIC } }))
      .toThrow(/^subnets: EKS creates managed node groups in public subnets only when the subnets assign public IPs on launch, got public subnet Test\/Net\/Vpc\/PublicSubnet1 without MapPublicIpOnLaunch for node group 'Edge'/);
  });

  test('warns when a spot node group has a single instance type', () => {
    const platform = cluster({ kubectl: false, nodegroups: [{ id: 'Spot', capacityType: eks.CapacityType.SPOT }] });
    Annotations.fromStack(Stack.of(platform)).hasWarning('/Test/Platform', Match.stringLikeRegexp("spot node group 'Spot' draws from one spot pool"));
  });
});

describe('PlatformCluster with CloudFormation parameters', () => {
  test('synthesizes node groups whose sizes and update limits come from parameters, skipping their order check with a warning', () => {
    const stack = newStack();
    const size = (name: string, value: number) => new CfnParameter(stack, name, { type: 'Number', default: value }).valueAsNumber;
    const platform = new PlatformCluster(stack, 'Platform', { kubectl: false });
    platform.addNodegroup('Workers', { minSize: size('MinNodes', 2), desiredSize: size('DesiredNodes', 3), maxSize: size('MaxNodes', 6) });
    platform.addNodegroup('Small', { minSize: size('SmallMin', 1) });
    platform.addNodegroup('Rolling', { maxUnavailablePercentage: size('RollPercent', 25) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      ScalingConfig: { MinSize: { Ref: 'MinNodes' }, DesiredSize: { Ref: 'DesiredNodes' }, MaxSize: { Ref: 'MaxNodes' } },
      UpdateConfig: { MaxUnavailable: 1 },
    });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { ScalingConfig: { MinSize: { Ref: 'SmallMin' }, DesiredSize: { Ref: 'SmallMin' }, MaxSize: 4 } });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 }, UpdateConfig: { MaxUnavailablePercentage: { Ref: 'RollPercent' } } });
    const warnings = Annotations.fromStack(stack);
    warnings.hasWarning('/Test/Platform', Match.stringLikeRegexp("minSize, maxSize and desiredSize: node group 'Workers' has sizes that are tokens"));
    warnings.hasWarning('/Test/Platform', Match.stringLikeRegexp("node group 'Small' .*maxSize defaults to 4: pass maxSize too"));
  });

  test('synthesizes a node group whose IMDS hop limit comes from a parameter', () => {
    const stack = newStack();
    const hops = new CfnParameter(stack, 'ImdsHops', { type: 'Number', default: 1 }).valueAsNumber;
    new PlatformCluster(stack, 'Platform', { kubectl: false, nodegroups: [{ id: 'Workers', imdsHopLimit: hops }] });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: { Ref: 'ImdsHops' } } }),
    });
  });
});

describe('PlatformCluster accepts good inputs', () => {
  test('takes valid labels, taints, selectors, namespaces, disk sizes and retention', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::111122223333:role/team');
    const admin = iam.Role.fromRoleArn(stack, 'A', 'arn:aws:iam::111122223333:role/admin');
    const platform = new PlatformCluster(stack, 'Platform', {
      kubectl: false, logRetention: logs.RetentionDays.INFINITE, admins: [admin],
      namespaceAccess: [{ role, namespaces: ['apps', 'web-2'] }],
      nodegroups: [{
        id: 'Workers', diskSize: 16384, minSize: 1, maxSize: 3, maxUnavailable: 3,
        labels: { 'team': 'payments', 'example.com/tier': 'front_end.v2', 'node.kubernetes.io/role': 'web' },
        taints: [{ key: 'dedicated', value: 'gpu', effect: eks.TaintEffect.NO_SCHEDULE }, { key: 'dedicated', value: 'gpu', effect: eks.TaintEffect.NO_EXECUTE }, { key: 'example.com/spot', effect: eks.TaintEffect.PREFER_NO_SCHEDULE }],
      }],
      fargateProfiles: [{ id: 'Apps', selectors: [{ namespace: 'apps-*', labels: { 'app.kubernetes.io/name': 'web?', tier: '' } }, { namespace: 'kube-system' }] }],
    });
    expect(platform.nodegroups).toHaveLength(1);
    expect(platform.fargateProfiles).toHaveLength(1);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::AccessEntry', 2);
  });
});

describe('PlatformCluster in a public-only VPC with a public endpoint', () => {
  const stack = newStack();
  const net = new PlatformVpc(stack, 'Net', { layout: VpcLayout.PUBLIC_ONLY });
  const platform = new PlatformCluster(stack, 'Platform', { vpc: net.vpc, endpointAccess: eks.EndpointAccess.PUBLIC });
  const template = Template.fromStack(stack);

  test('synthesizes, with the control plane\'s interfaces in the public subnets (the only ones)', () => {
    const cluster = template.findResources('AWS::EKS::Cluster');
    const subnetIds = Object.values(cluster)[0].Properties.ResourcesVpcConfig.SubnetIds;
    expect(subnetIds).toEqual(net.vpc.publicSubnets.map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) })));
  });

  test('runs the kubectl handler outside the VPC, where it reaches the public endpoint', () => {
    expect(platform.kubectlEnabled).toBe(true);
    const handlers = Object.values(template.findResources('AWS::Lambda::Function')).filter((f: any) => /kubectl/i.test(JSON.stringify(f.Properties.Description ?? f.Properties.Handler ?? '')));
    expect(handlers.length).toBeGreaterThan(0);
    expect(handlers.every((f: any) => f.Properties.VpcConfig === undefined)).toBe(true);
  });

  test('fails when a node group is added without subnets, or in public subnets that assign no public IP', () => {
    expect(() => platform.addNodegroup('Default')).toThrow(/^nodegroups: node group 'Default' defaults to private subnets, got a VPC without private or isolated subnets/);
    expect(() => platform.addNodegroup('Public', { subnets: { subnetType: ec2.SubnetType.PUBLIC } })).toThrow(/^subnets: EKS creates managed node groups in public subnets only when the subnets assign public IPs on launch/);
  });

  test('fails when a Fargate profile is added', () => {
    expect(() => platform.addFargateProfile('Apps', { selectors: [{ namespace: 'apps' }] })).toThrow(/^fargateProfiles: Fargate runs pods only in private subnets/);
  });

  test('leaves the open endpoint and the kubectl handler outside the VPC visible to the audit', () => {
    // Both follow from the caller's choice of a public-only VPC and a public endpoint: nothing is acknowledged.
    expect(complianceRuleIds(platform)).toEqual([
      'ContainerPlatform-EKS1', 'HIPAA.Security-LambdaInsideVPC', 'NIST.800.53.R5-LambdaInsideVPC', 'PCI.DSS.321-LambdaInsideVPC',
    ]);
  });

  test('acknowledges no network-interface permission, which the handler and the framework outside the VPC do not get', () => {
    expect(ComplianceReport.check(stack, ComplianceReport.platformPacks()).unmatchedAcknowledgements).toEqual([]);
  });
});
