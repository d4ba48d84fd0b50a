import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { newStack } from '../../helpers';
import { findingsOf, platformFindings } from '../platform-findings';

const ALL_LOG_TYPES = [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR, eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER];

/** An aws-eks-v2 cluster in a public/private VPC, without node groups; `props` change it. */
function clusterStack(props: Partial<eks.ClusterProps> = {}): { stack: Stack; vpc: ec2.Vpc; cluster: eks.Cluster } {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33, vpc, defaultCapacity: 0, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP, ...props,
  });
  return { stack, vpc, cluster };
}

function imdsv2Template(stack: Stack, httpTokens: ec2.LaunchTemplateHttpTokens): ec2.LaunchTemplate {
  return new ec2.LaunchTemplate(stack, `Lt${httpTokens}`, { httpTokens, httpPutResponseHopLimit: 1, requireImdsv2: httpTokens === ec2.LaunchTemplateHttpTokens.REQUIRED });
}

describe('a hardened aws-eks-v2 cluster', () => {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new eks.Cluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.V1_33, vpc, defaultCapacity: 0, defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    endpointAccess: eks.EndpointAccess.PRIVATE,
    clusterLogging: ALL_LOG_TYPES,
    secretsEncryptionKey: new kms.Key(stack, 'SecretsKey', { enableKeyRotation: true }),
  });
  const lt = imdsv2Template(stack, ec2.LaunchTemplateHttpTokens.REQUIRED);
  cluster.addNodegroupCapacity('Nodes', { launchTemplateSpec: { id: lt.launchTemplateId!, version: lt.latestVersionNumber }, subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
  cluster.addFargateProfile('Jobs', { selectors: [{ namespace: 'jobs' }], vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });

  test('passes every ContainerPlatform EKS rule', () => {
    expect(platformFindings(stack).filter((f) => f.includes('-EKS'))).toEqual([]);
  });
});

describe('an aws-eks-v2 cluster in its default configuration', () => {
  const { stack, cluster } = clusterStack();
  cluster.addNodegroupCapacity('Nodes');
  cluster.addFargateProfile('Jobs', { selectors: [{ namespace: 'jobs' }] });
  const findings = platformFindings(stack);

  test('is flagged for its public endpoint (EKS1), which AwsSolutions-EKS1 misses on aws-eks-v2', () => {
    expect(findings).toContain('ContainerPlatform-EKS1 Test/Cluster/Resource');
  });

  test('is flagged once per missing control-plane log type (EKS2)', () => {
    expect(findings.filter((f) => f.startsWith('ContainerPlatform-EKS2'))).toEqual(
      ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((t) => `ContainerPlatform-EKS2[LogType::${t}] Test/Cluster/Resource`),
    );
  });

  test('is flagged for secrets without a customer-managed key (EKS3)', () => {
    expect(findings).toContain('ContainerPlatform-EKS3 Test/Cluster/Resource');
  });

  test('is flagged for a node group without a launch template (EKS4)', () => {
    expect(findings).toContain('ContainerPlatform-EKS4 Test/Cluster/NodegroupNodes/Resource');
  });

  test('is not flagged for its node group subnets: aws-eks-v2 picks private ones (EKS5)', () => {
    expect(findings.filter((f) => f.startsWith('ContainerPlatform-EKS5'))).toEqual([]);
  });

  test('is flagged for a Fargate profile that lists no subnets (EKS6)', () => {
    expect(findings).toContain('ContainerPlatform-EKS6 Test/Cluster/fargate-profile-Jobs/Resource');
  });
});

describe('ContainerPlatform-EKS1 (endpoint access)', () => {
  test('passes a public endpoint restricted to named CIDRs', () => {
    const { stack } = clusterStack({ endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24') });
    expect(findingsOf(stack, 'ContainerPlatform-EKS1')).toEqual([]);
  });

  test('flags a public endpoint listed as open to 0.0.0.0/0', () => {
    const stack = newStack();
    new eks.CfnCluster(stack, 'Cluster', { roleArn: 'arn', resourcesVpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS1')).toEqual(['ContainerPlatform-EKS1 Test/Cluster']);
  });
});

describe('ContainerPlatform-EKS2 (control-plane logs)', () => {
  test('passes a cluster with all five log types', () => {
    const { stack } = clusterStack({ clusterLogging: ALL_LOG_TYPES });
    expect(findingsOf(stack, 'ContainerPlatform-EKS2')).toEqual([]);
  });

  test('flags only the missing type when one is left out', () => {
    const { stack } = clusterStack({ clusterLogging: ALL_LOG_TYPES.filter((t) => t !== eks.ClusterLoggingTypes.AUDIT) });
    expect(findingsOf(stack, 'ContainerPlatform-EKS2')).toEqual(['ContainerPlatform-EKS2[LogType::audit] Test/Cluster/Resource']);
  });
});

describe('ContainerPlatform-EKS3 (secrets encryption)', () => {
  test('passes a cluster whose secrets are encrypted with a KMS key', () => {
    const stack = newStack();
    new eks.CfnCluster(stack, 'Cluster', { roleArn: 'arn', resourcesVpcConfig: { subnetIds: ['subnet-1'] }, encryptionConfig: [{ provider: { keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/k' }, resources: ['secrets'] }] });
    expect(findingsOf(stack, 'ContainerPlatform-EKS3')).toEqual([]);
  });

  test('flags a cluster without an encryption configuration', () => {
    const stack = newStack();
    new eks.CfnCluster(stack, 'Cluster', { roleArn: 'arn', resourcesVpcConfig: { subnetIds: ['subnet-1'] } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS3')).toEqual(['ContainerPlatform-EKS3 Test/Cluster']);
  });
});

describe('ContainerPlatform-EKS4 (IMDSv2 on nodes)', () => {
  test('flags a node group whose launch template leaves IMDSv1 on', () => {
    const { stack, cluster } = clusterStack();
    const lt = imdsv2Template(stack, ec2.LaunchTemplateHttpTokens.OPTIONAL);
    cluster.addNodegroupCapacity('Nodes', { launchTemplateSpec: { id: lt.launchTemplateId!, version: lt.latestVersionNumber } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS4')).toEqual(['ContainerPlatform-EKS4 Test/Cluster/NodegroupNodes/Resource']);
  });

  test('passes a node group whose launch template requires IMDSv2', () => {
    const { stack, cluster } = clusterStack();
    const lt = imdsv2Template(stack, ec2.LaunchTemplateHttpTokens.REQUIRED);
    cluster.addNodegroupCapacity('Nodes', { launchTemplateSpec: { id: lt.launchTemplateId!, version: lt.latestVersionNumber } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS4')).toEqual([]);
  });

  test('does not judge a launch template that lives outside the stack', () => {
    const { stack, cluster } = clusterStack();
    cluster.addNodegroupCapacity('Nodes', { launchTemplateSpec: { id: 'lt-0123456789abcdef0' } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS4')).toEqual([]);
  });
});

describe('ContainerPlatform-EKS5 (node groups in private subnets)', () => {
  test('flags a node group in public subnets, which route to the internet gateway', () => {
    const { stack, cluster } = clusterStack();
    cluster.addNodegroupCapacity('Nodes', { subnets: { subnetType: ec2.SubnetType.PUBLIC } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS5')).toEqual(['ContainerPlatform-EKS5 Test/Cluster/NodegroupNodes/Resource']);
  });

  test('flags a public subnet even when it does not map public IPs and has no aws-cdk tag', () => {
    const { stack, vpc, cluster } = clusterStack();
    for (const subnet of vpc.publicSubnets) {
      const cfn = subnet.node.defaultChild as ec2.CfnSubnet;
      cfn.mapPublicIpOnLaunch = false;
      cfn.addPropertyOverride('Tags', []);
    }
    cluster.addNodegroupCapacity('Nodes', { subnets: { subnetType: ec2.SubnetType.PUBLIC } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS5')).toEqual(['ContainerPlatform-EKS5 Test/Cluster/NodegroupNodes/Resource']);
  });

  test('passes a node group in private subnets', () => {
    const { stack, cluster } = clusterStack();
    cluster.addNodegroupCapacity('Nodes', { subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS5')).toEqual([]);
  });
});

describe('ContainerPlatform-EKS6 (Fargate profiles in private subnets)', () => {
  test('passes a Fargate profile that lists private subnets', () => {
    const { stack, vpc, cluster } = clusterStack();
    cluster.addFargateProfile('Jobs', { selectors: [{ namespace: 'jobs' }], vpc, subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS6')).toEqual([]);
  });

  test('flags a Fargate profile that lists a public subnet', () => {
    const { stack, vpc } = clusterStack();
    new eks.CfnFargateProfile(stack, 'Jobs', {
      clusterName: 'c', podExecutionRoleArn: 'arn', selectors: [{ namespace: 'jobs' }],
      subnets: [vpc.privateSubnets[0].subnetId, vpc.publicSubnets[0].subnetId],
    });
    expect(findingsOf(stack, 'ContainerPlatform-EKS6')).toEqual(['ContainerPlatform-EKS6 Test/Jobs']);
  });
});
