import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { EXAMPLES } from '../../examples';
import { EksFullPlatformStack } from '../../examples/eks-full-platform-stack';
import { expectNoComplianceFindings } from '../helpers';
import { kubernetesProblem, manifestsOf } from '../kubernetes-manifests';
import { synthesizeExamples } from './example-harness';

// One App for all examples, as bin/app.ts builds it; each example then gets its own checks.
const examples = synthesizeExamples();
const example = (id: string) => examples.get(id)!;

describe.each(EXAMPLES.map((e) => e.id))('example %s', (id) => {
  test('passes AWS\'s CloudFormation validator', () => {
    expect(example(id).validationViolations).toEqual([]);
  });

  test('has no unacknowledged finding in the four cdk-nag packs and the ContainerPlatform pack', () => {
    expectNoComplianceFindings(example(id).stack);
  });

  test('matches the reviewed template', () => {
    expect(example(id).template.toJSON()).toMatchSnapshot();
  });

  test('applies only Kubernetes objects that are valid for Kubernetes 1.36', () => {
    expect(manifestsOf(example(id).template.toJSON()).map(kubernetesProblem).filter((p) => p !== undefined)).toEqual([]);
  });
});

describe('Kubernetes manifests', () => {
  test('the examples apply every kind of object the EKS add-ons create', () => {
    const kinds = new Set(EXAMPLES.flatMap((e) => manifestsOf(example(e.id).template.toJSON()).map((o) => `${o.apiVersion}/${o.kind}`)));
    expect([...kinds].sort()).toEqual([
      'apps/v1/Deployment', 'autoscaling/v2/HorizontalPodAutoscaler',
      'karpenter.k8s.aws/v1/EC2NodeClass', 'karpenter.sh/v1/NodePool',
      'networking.k8s.io/v1/IngressClass', 'policy/v1/PodDisruptionBudget', 'storage.k8s.io/v1/StorageClass',
      'v1/ConfigMap', 'v1/Namespace', 'v1/PersistentVolume', 'v1/PersistentVolumeClaim', 'v1/Service',
    ]);
  });

  test('a StorageClass parameter that is not a string is reported', () => {
    expect(kubernetesProblem({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', parameters: { iops: 6000 } }))
      .toMatch(/parameters\/iops must be string/);
  });

  test('a kind nobody checked against Kubernetes 1.36 is reported', () => {
    expect(kubernetesProblem({ apiVersion: 'policy/v1beta1', kind: 'PodSecurityPolicy', metadata: { name: 'old' } }))
      .toMatch(/policy\/v1beta1 PodSecurityPolicy is not in the list of kinds checked against Kubernetes 1.36/);
  });
});

describe('example EksCluster', () => {
  test('runs an on-demand x86 group, a spot ARM group and a Fargate profile', () => {
    const { template } = example('EksCluster');
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'ON_DEMAND', AmiType: 'AL2023_x86_64_STANDARD' });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'SPOT', AmiType: 'AL2023_ARM_64_STANDARD' });
    template.resourceCountIs('AWS::EKS::FargateProfile', 1);
  });

  test('scales both node groups with the Cluster Autoscaler, the spot group from zero', () => {
    const { template } = example('EksCluster');
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'cluster-autoscaler' });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'SPOT', ScalingConfig: { MinSize: 0, DesiredSize: 1, MaxSize: 10 } });
  });
});

describe.each(['EksCluster', 'EksFullPlatform', 'EksAutoscaling'])('example %s', (id) => {
  test('has no node group that nothing scales (no eksNodegroupFixedSize warning)', () => {
    Annotations.fromStack(example(id).stack).hasNoWarning('*', Match.stringLikeRegexp('nothing scales it'));
  });
});

describe('example EksAutoMode', () => {
  test('runs on Auto Mode with both built-in node pools, no core add-on, node group or Fargate profile', () => {
    const { template } = example('EksAutoMode');
    template.hasResourceProperties('AWS::EKS::Cluster', { ComputeConfig: Match.objectLike({ Enabled: true, NodePools: ['system', 'general-purpose'] }) });
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.resourceCountIs('AWS::EKS::FargateProfile', 0);
    expect(Object.values<any>(template.findResources('AWS::EKS::Addon')).map((a) => a.Properties.AddonName)).toEqual(['metrics-server']);
  });
});

describe('example EksFargateOnly', () => {
  test('has no node group and schedules CoreDNS on Fargate', () => {
    const { template } = example('EksFargateOnly');
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'coredns', ConfigurationValues: '{"computeType":"Fargate"}' });
  });
});

describe('example EksFullPlatform', () => {
  const { template } = example('EksFullPlatform');
  const stack = example('EksFullPlatform').stack as EksFullPlatformStack;

  test('installs all six add-ons on one cluster with a node group and a Fargate profile', () => {
    expect(stack.platform.installedAddonNames).toEqual(expect.arrayContaining(['aws-load-balancer-controller', 'aws-ebs-csi-driver', 'metrics-server', 'aws-efs-csi-driver', 'amazon-cloudwatch-observability', 'cluster-autoscaler']));
    const managed = Object.values(template.findResources('AWS::EKS::Addon')).map((r: any) => r.Properties.AddonName);
    expect(managed).toEqual(expect.arrayContaining(['aws-ebs-csi-driver', 'aws-efs-csi-driver', 'amazon-cloudwatch-observability', 'metrics-server']));
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.resourceCountIs('AWS::EKS::FargateProfile', 1);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 2);
  });

  test('scales its node group with the Cluster Autoscaler, so the group\'s range means something', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'cluster-autoscaler' });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 6 } });
    expect(stack.clusterAutoscaler.node.path).toBe('EksFullPlatform/Cluster/ClusterAutoscaler');
  });

  test('creates the serverless namespace before the static EFS volume that claims storage in it', () => {
    const volumeId = stack.getLogicalId(stack.serverlessVolume.manifest.node.findChild('Resource').node.defaultChild as any);
    const namespaceId = stack.getLogicalId(stack.node.findChild('ServerlessNamespace').node.findChild('Resource').node.defaultChild as any);
    expect(template.toJSON().Resources[volumeId].DependsOn).toContain(namespaceId);
  });
});

describe('example EksAutoscaling', () => {
  test('scales the node group with the Cluster Autoscaler and the workload with an HPA on CPU', () => {
    const { template } = example('EksAutoscaling');
    template.hasResourceProperties('AWS::EKS::Nodegroup', { ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 6 } });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'cluster-autoscaler' });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'vertical-pod-autoscaler' });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'metrics-server' });
    const objects = manifestsOf(template.toJSON());
    const hpa: any = objects.find((o) => o.kind === 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    const deployment: any = objects.find((o) => o.kind === 'Deployment');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.template.spec.containers[0].resources.requests.cpu).toBe('250m');
    expect(objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(true);
  });
});

describe('example EksKarpenter', () => {
  test('pins the Karpenter controller to the tainted system node group and adds an on-demand pool', () => {
    const { template } = example('EksKarpenter');
    template.resourceCountIs('AWS::EKS::Nodegroup', 1);
    template.hasResourceProperties('AWS::EKS::Nodegroup', { Taints: [{ Key: 'CriticalAddonsOnly', Value: 'true', Effect: 'NO_SCHEDULE' }] });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'karpenter', Values: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    const pools = manifestsOf(template.toJSON()).filter((o) => o.kind === 'NodePool').map((o) => o.metadata?.name);
    expect(pools.sort()).toEqual(['default', 'on-demand']);
    template.resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { ServiceAccount: 'karpenter' }, 1);
  });
});

describe('example EksKarpenterFargate', () => {
  test('runs the Karpenter controller on Fargate with IRSA and no node group', () => {
    const { template } = example('EksKarpenterFargate');
    template.resourceCountIs('AWS::EKS::Nodegroup', 0);
    template.resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { ServiceAccount: 'karpenter' }, 0);
    expect(manifestsOf(template.toJSON()).find((o) => o.kind === 'EC2NodeClass')).toMatchObject({ spec: { amiSelectorTerms: [{ alias: 'bottlerocket@latest' }] } });
  });
});

describe('example EcsPlatform with EcsWebApps and EcsWorkerApps', () => {
  const platform = example('EcsPlatform');
  const dependenciesOf = (id: string) => example(id).stack.dependencies.map((s) => s.stackName);

  test('keeps the cluster, capacity and load balancer in the platform stack, which depends on no application stack', () => {
    platform.template.resourceCountIs('AWS::ECS::CapacityProvider', 3);
    platform.template.resourceCountIs('AWS::ECS::Service', 0);
    expect(dependenciesOf('EcsPlatform')).toEqual([]);
    expect(dependenciesOf('EcsWebApps')).toContain('EcsPlatform');
    expect(dependenciesOf('EcsWorkerApps')).toContain('EcsPlatform');
  });

  test('runs the web stack on Fargate and Fargate Spot, and the worker stack on EC2, Managed Instances and a daemon', () => {
    example('EcsWebApps').template.hasResourceProperties('AWS::ECS::Service', {
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 3 }],
    });
    const workers = Object.values<any>(example('EcsWorkerApps').template.findResources('AWS::ECS::Service')).map((s) => s.Properties);
    expect(workers.filter((s) => s.SchedulingStrategy === 'DAEMON')).toHaveLength(1);
    expect(workers.filter((s) => s.CapacityProviderStrategy?.length === 2)).toHaveLength(1);
    example('EcsWorkerApps').template.hasResourceProperties('AWS::ECS::TaskDefinition', { RequiresCompatibilities: ['MANAGED_INSTANCES'] });
  });
});

describe('example EksPlatform with its add-ons and node group stacks', () => {
  test('puts the add-ons and the team node group in their own stacks, which depend on the platform stack only', () => {
    const platform = example('EksPlatform').stack;
    const addons = example('EksPlatformAddons').stack;
    const nodegroups = example('EksPlatformNodegroups').stack;
    expect(platform.dependencies).toEqual([]);
    expect(addons.dependencies).toEqual([platform]);
    expect(nodegroups.dependencies).toEqual([platform]);
    example('EksPlatformAddons').template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
    example('EksPlatformAddons').template.resourceCountIs('AWS::EKS::Addon', 2);
    example('EksPlatformNodegroups').template.hasResourceProperties('AWS::EKS::Nodegroup', { CapacityType: 'SPOT', AmiType: 'AL2023_ARM_64_STANDARD' });
  });
});
