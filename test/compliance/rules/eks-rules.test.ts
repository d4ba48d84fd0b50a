import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
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

  test('flags a subnet whose route reaches an internet gateway through a parameter or one branch of Fn::If', () => {
    for (const gateway of ['parameter', 'branch']) {
      const { stack, vpc } = clusterStack();
      const subnet = vpc.privateSubnets[0] as ec2.Subnet;
      const id = gateway === 'parameter'
        ? new CfnParameter(stack, 'Gateway', { default: 'igw-0123456789abcdef0' }).valueAsString
        : Fn.conditionIf('Open', 'igw-0123456789abcdef0', Fn.ref('AWS::NoValue')).toString();
      new ec2.CfnRoute(stack, 'Shortcut', { routeTableId: subnet.routeTable.routeTableId, destinationCidrBlock: '198.51.100.0/24', gatewayId: id });
      new eks.CfnNodegroup(stack, 'Nodes', { clusterName: 'c', nodeRole: 'arn', subnets: [subnet.subnetId], launchTemplate: { id: 'lt-0123456789abcdef0' } });
      expect(findingsOf(stack, 'ContainerPlatform-EKS5')).toEqual(['ContainerPlatform-EKS5 Test/Nodes']);
    }
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

describe('EKS rule variants', () => {
  /** An L1 cluster with the given VPC configuration and other properties. */
  function cluster(stack: Stack, id: string, vpcConfig: Record<string, unknown>, props: Partial<eks.CfnClusterProps> = {}): void {
    new eks.CfnCluster(stack, id, { roleArn: 'arn', resourcesVpcConfig: { subnetIds: ['subnet-1'], ...vpcConfig } as any, ...props });
  }
  /** Every public /8 of IPv4 but the ones named. */
  const slashEights = (except: number[]) => Array.from({ length: 223 }, (_, i) => i + 1).filter((n) => ![10, 127, ...except].includes(n)).map((n) => `${n}.0.0.0/8`);

  test('EKS1 flags CIDRs that together cover the internet, in any family or branch', () => {
    const stack = newStack();
    cluster(stack, 'Halves', { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/1', '128.0.0.0/1'] });
    cluster(stack, 'EveryPublicEight', { endpointPublicAccess: true, publicAccessCidrs: slashEights([]) });
    cluster(stack, 'Ipv6', { endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24', '::/0'] });
    cluster(stack, 'Branch', { endpointPublicAccess: true, publicAccessCidrs: Fn.conditionIf('Office', ['203.0.113.0/24'], ['0.0.0.0/0']) });
    cluster(stack, 'PublicInOneBranch', { endpointPublicAccess: Fn.conditionIf('Private', false, true) });
    cluster(stack, 'ParameterDefault', { endpointPublicAccess: true, publicAccessCidrs: new CfnParameter(stack, 'Cidrs', { type: 'CommaDelimitedList', default: '0.0.0.0/1,128.0.0.0/1' }).valueAsList });
    cluster(stack, 'Unknown', { endpointPublicAccess: true, publicAccessCidrs: new CfnParameter(stack, 'AnyCidrs', { type: 'CommaDelimitedList' }).valueAsList });
    expect(findingsOf(stack, 'ContainerPlatform-EKS1')).toEqual(['Branch', 'EveryPublicEight', 'Halves', 'Ipv6', 'ParameterDefault', 'PublicInOneBranch', 'Unknown'].map((id) => `ContainerPlatform-EKS1 Test/${id}`));
  });

  test('EKS1 passes many ranges that leave part of the internet out, and CIDRs read from SSM at deploy time', () => {
    const stack = newStack();
    cluster(stack, 'AllButOneEight', { endpointPublicAccess: true, publicAccessCidrs: slashEights([11]) });
    cluster(stack, 'Ssm', { endpointPublicAccess: true, publicAccessCidrs: ['{{resolve:ssm:/platform/office-cidr}}'] });
    cluster(stack, 'PrivateByDefault', { endpointPublicAccess: new CfnParameter(stack, 'Public', { default: 'false' }).valueAsString as any });
    expect(findingsOf(stack, 'ContainerPlatform-EKS1')).toEqual([]);
  });

  test('EKS2 flags a log type that one branch leaves out', () => {
    const stack = newStack();
    const types = ['api', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({ type }));
    cluster(stack, 'Cluster', {}, { logging: { clusterLogging: { enabledTypes: [...types, Fn.conditionIf('Audit', { type: 'audit' }, Fn.ref('AWS::NoValue')) as any] } } });
    expect(findingsOf(stack, 'ContainerPlatform-EKS2')).toEqual(['ContainerPlatform-EKS2[LogType::audit] Test/Cluster']);
  });

  test('EKS3 flags secrets encryption that one branch removes, and passes a key only known at deploy time', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const config = { provider: { keyArn: key.keyArn }, resources: ['secrets'] };
    cluster(stack, 'Branch', {}, { encryptionConfig: Fn.conditionIf('Encrypt', [config], Fn.ref('AWS::NoValue')) as any });
    cluster(stack, 'Encrypted', {}, { encryptionConfig: [config] });
    expect(findingsOf(stack, 'ContainerPlatform-EKS3')).toEqual(['ContainerPlatform-EKS3 Test/Branch']);
  });

  describe('EKS4 (IMDS hop limit)', () => {
    function nodegroupWith(metadataOptions: Record<string, unknown>): Stack {
      const { stack, cluster: c } = clusterStack();
      const lt = new ec2.CfnLaunchTemplate(stack, 'Lt', { launchTemplateData: { metadataOptions } });
      c.addNodegroupCapacity('Nodes', { launchTemplateSpec: { id: lt.ref } });
      return stack;
    }
    const FLAGGED = ['ContainerPlatform-EKS4 Test/Cluster/NodegroupNodes/Resource'];

    test('flags a hop limit of 2, which lets pods reach the node role', () => {
      expect(findingsOf(nodegroupWith({ httpTokens: 'required', httpPutResponseHopLimit: 2 }), 'ContainerPlatform-EKS4')).toEqual(FLAGGED);
    });

    test('flags an absent hop limit, which AMIs registered for IMDSv2 set to 2', () => {
      expect(findingsOf(nodegroupWith({ httpTokens: 'required' }), 'ContainerPlatform-EKS4')).toEqual(FLAGGED);
    });

    test('flags IMDSv1 in one branch of Fn::If', () => {
      expect(findingsOf(nodegroupWith({ httpTokens: Fn.conditionIf('Strict', 'required', 'optional'), httpPutResponseHopLimit: 1 }), 'ContainerPlatform-EKS4')).toEqual(FLAGGED);
    });

    test('passes IMDSv2 with a hop limit of 1', () => {
      expect(findingsOf(nodegroupWith({ httpTokens: 'required', httpPutResponseHopLimit: 1 }), 'ContainerPlatform-EKS4')).toEqual([]);
    });
  });

  test('EKS5 and EKS6 flag a public subnet in one branch of Fn::If', () => {
    const { stack, vpc } = clusterStack();
    const subnets = Fn.conditionIf('Public', [vpc.publicSubnets[0].subnetId], [vpc.privateSubnets[0].subnetId]) as any;
    new eks.CfnNodegroup(stack, 'Nodes', { clusterName: 'c', nodeRole: 'arn', subnets, launchTemplate: { id: 'lt-0123456789abcdef0' } });
    new eks.CfnFargateProfile(stack, 'Jobs', { clusterName: 'c', podExecutionRoleArn: 'arn', selectors: [{ namespace: 'jobs' }], subnets });
    expect(findingsOf(stack, 'ContainerPlatform-EKS5')).toEqual(['ContainerPlatform-EKS5 Test/Nodes']);
    expect(findingsOf(stack, 'ContainerPlatform-EKS6')).toEqual(['ContainerPlatform-EKS6 Test/Jobs']);
  });

  test('EKS6 flags a subnet list that one branch leaves out', () => {
    const { stack, vpc } = clusterStack();
    new eks.CfnFargateProfile(stack, 'Jobs', {
      clusterName: 'c', podExecutionRoleArn: 'arn', selectors: [{ namespace: 'jobs' }],
      subnets: Fn.conditionIf('Listed', [vpc.privateSubnets[0].subnetId], Fn.ref('AWS::NoValue')) as any,
    });
    expect(findingsOf(stack, 'ContainerPlatform-EKS6')).toEqual(['ContainerPlatform-EKS6 Test/Jobs']);
  });
});
