import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { ClusterAddon } from '../../../lib/eks/addons/cluster-addon';
import { Karpenter } from '../../../lib/eks/addons/karpenter';
import { KarpenterInstallation } from '../../../lib/eks/addons/karpenter-installation';
import { KarpenterAmi, KarpenterArchitecture, KarpenterCapacityType } from '../../../lib/eks/addons/karpenter-node-pool';
import { ClusterCompute } from '../../../lib/eks/cluster-compute';
import { PlatformCluster } from '../../../lib/eks/platform-cluster';
import { IPlatformCluster } from '../../../lib/eks/platform-cluster-ref';
import { expectNoComplianceFindings, newApp, newStack } from '../../helpers';
import { kubernetesProblem } from '../../kubernetes-manifests';
import { clusterWith, Compute, customResourceId, dependsOn, helmValues, installationOf, logicalId, manifestObjects, platformAndAddonsStacks, synthWith } from './addon-test-cluster';

/** An add-on that only records its name, as the Cluster Autoscaler add-on does for the exclusivity check. */
class NamedAddon extends ClusterAddon {
  constructor(public readonly name: string) {
    super();
  }

  public install(scope: Construct, cluster: IPlatformCluster): Construct {
    const installation = new Construct(scope, this.name);
    cluster.registerAddon(this.name, installation);
    return installation;
  }
}

describe('Karpenter on a cluster with a node group', () => {
  const karpenter = new Karpenter({ defaultNodeClass: { ami: KarpenterAmi.al2023('v20260903') } });
  const { stack, cluster, template } = synthWith({ addons: [karpenter], compute: Compute.NODES_ONLY });
  const resources = installationOf(karpenter);
  const chartId = customResourceId(resources.chart);
  const nodeClassId = customResourceId(resources.nodeClasses.default);
  const nodePoolId = customResourceId(resources.nodePools.default);
  const clusterName = (cluster.cluster.node.defaultChild as eks.CfnCluster).name!;
  const nodeClass = () => manifestObjects(template, nodeClassId)[0];
  const nodePool = () => manifestObjects(template, nodePoolId)[0];

  test('installs chart karpenter 1.14.1 from public ECR over OCI into kube-system, waiting below the handler\'s 15 minutes', () => {
    const props = template.toJSON().Resources[chartId].Properties;
    expect(props).toMatchObject({ Chart: 'karpenter', Repository: 'oci://public.ecr.aws/karpenter/karpenter', Version: '1.14.1', Release: 'karpenter', Namespace: 'kube-system', Wait: true });
    expect(parseInt(props.Timeout, 10)).toBeLessThan(15 * 60);
  });

  test('passes the cluster name, endpoint and interruption queue as settings', () => {
    const values = helmValues(template, chartId);
    expect(values.settings.clusterName).toContain(logicalId(cluster.cluster));
    expect(values.settings.clusterEndpoint).toContain('Endpoint');
    expect(values.settings.interruptionQueue).toContain(logicalId(resources.interruptionQueue.queue));
    expect(values.serviceAccount).toEqual({ create: true, name: 'karpenter', annotations: {} });
    expect(values.dnsPolicy).toBe('Default');
  });

  test('binds the controller\'s service account to a Pod Identity role with upstream\'s policies', () => {
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'kube-system', ServiceAccount: 'karpenter', RoleArn: { 'Fn::GetAtt': [logicalId(resources.role), 'Arn'] },
    });
    const role = template.toJSON().Resources[logicalId(resources.role)];
    expect(role.Properties.ManagedPolicyArns).toHaveLength(3);
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
  });

  test('scopes launching, tagging and terminating to resources tagged for this cluster and a NodePool', () => {
    const statements: any[] = template.toJSON().Resources[logicalId(resources.policies[0])].Properties.PolicyDocument.Statement;
    for (const sid of ['AllowScopedEC2InstanceActionsWithTags', 'AllowScopedResourceCreationTagging']) {
      const st = statements.find((s) => s.Sid === sid);
      expect(st.Condition.StringEquals[`aws:RequestTag/kubernetes.io/cluster/${clusterName}`]).toBe('owned');
      expect(st.Condition.StringEquals['aws:RequestTag/eks:eks-cluster-name']).toBe(clusterName);
      expect(st.Condition.StringLike['aws:RequestTag/karpenter.sh/nodepool']).toBe('*');
    }
    const deletion = statements.find((s) => s.Sid === 'AllowScopedDeletion');
    expect([...deletion.Action].sort()).toEqual(['ec2:DeleteLaunchTemplate', 'ec2:TerminateInstances']);
    expect(deletion.Condition.StringEquals).toEqual({ [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: 'owned' });
  });

  test('lets the controller pass only the node role, to EC2, and read only its own queue', () => {
    const all: any[] = resources.policies.flatMap((p) => template.toJSON().Resources[logicalId(p)].Properties.PolicyDocument.Statement);
    const passRole = all.filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRole).toEqual([expect.objectContaining({ Resource: { 'Fn::GetAtt': [logicalId(resources.nodeRole as any), 'Arn'] } })]);
    expect(passRole[0].Condition.StringEquals['iam:PassedToService']).toContain('ec2.amazonaws.com');
    const sqs = all.find((s) => s.Sid === 'AllowInterruptionQueueActions');
    expect(sqs.Resource).toEqual({ 'Fn::GetAtt': [logicalId(resources.interruptionQueue.queue), 'Arn'] });
    expect(all.find((s) => s.Sid === 'AllowAPIServerEndpointDiscovery').Resource).toEqual(expect.objectContaining({ 'Fn::Join': expect.anything() }));
  });

  test('puts the controller\'s IAM in customer managed policies, none inline', () => {
    expect(Object.keys(template.findResources('AWS::IAM::Policy')).filter((id) => id.includes('Karpenter'))).toEqual([]);
    expect(resources.policies.map((p) => template.toJSON().Resources[logicalId(p)].Type)).toEqual(Array(3).fill('AWS::IAM::ManagedPolicy'));
  });

  test('lets the kubectl handler log in to public ECR, which it does before pulling an oci:// chart, before the chart is installed', () => {
    const [id, policy] = Object.entries<any>(template.findResources('AWS::IAM::ManagedPolicy')).find(([k]) => k.includes('KarpenterChartPullPolicy'))!;
    expect(policy.Properties.PolicyDocument.Statement[0].Action).toEqual(['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken']);
    expect(policy.Properties.Roles).toEqual([{ Ref: logicalId(cluster.kubectlRole!) }]);
    expect(dependsOn(template, chartId)).toContain(id);
  });

  test('gives the nodes a role with the worker node and pull-only policies and an EC2_LINUX access entry', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: { 'Fn::GetAtt': [logicalId(resources.nodeRole as any), 'Arn'] },
      Type: 'EC2_LINUX',
    });
    const arns = JSON.stringify(template.toJSON().Resources[logicalId(resources.nodeRole as any)].Properties.ManagedPolicyArns);
    expect(arns).toContain('AmazonEKSWorkerNodePolicy');
    expect(arns).toContain('AmazonEC2ContainerRegistryPullOnly');
  });

  test('creates an encrypted, TLS-only interruption queue fed by the five EventBridge rules of upstream', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 300 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    const rules = Object.values<any>(template.findResources('AWS::Events::Rule'));
    expect(rules.map((r) => r.Properties.EventPattern['detail-type'][0]).sort()).toEqual([
      'AWS Health Event', 'EC2 Capacity Reservation Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification', 'EC2 Spot Instance Interruption Warning',
    ]);
    for (const rule of rules) {
      expect(rule.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [logicalId(resources.interruptionQueue.queue), 'Arn'] });
    }
  });

  test('the default EC2NodeClass requires IMDSv2 with one hop and encrypts a gp3 root volume, as rules EKS4 and encrypted volumes ask of node groups', () => {
    expect(nodeClass().spec.metadataOptions).toEqual({ httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' });
    expect(nodeClass().spec.blockDeviceMappings).toEqual([{ deviceName: '/dev/xvda', ebs: { volumeSize: '50Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }]);
  });

  test('the default EC2NodeClass runs the pinned AMI with the node role in the cluster\'s private subnets and security group', () => {
    const spec = nodeClass().spec;
    expect(spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20260903' }]);
    expect(spec.role).toContain(logicalId(resources.nodeRole as any));
    expect(spec.subnetSelectorTerms.map((t: any) => t.id)).toEqual(cluster.vpc.privateSubnets.map((s) => expect.stringContaining(logicalId(s.node.defaultChild as any))));
    expect(spec.securityGroupSelectorTerms[0].id).toContain('ClusterSecurityGroupId');
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('karpenter-ami-latest'))).toEqual([]);
  });

  test('the default NodePool allows spot and on-demand, amd64 and arm64, with limits, consolidation and expiry', () => {
    const spec = nodePool().spec;
    const requirement = (key: string) => spec.template.spec.requirements.find((r: any) => r.key === key).values;
    expect(requirement('karpenter.sh/capacity-type')).toEqual(['spot', 'on-demand']);
    expect(requirement('kubernetes.io/arch')).toEqual(['amd64', 'arm64']);
    expect(spec.limits).toEqual({ cpu: '100', memory: '400Gi' });
    expect(spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '60s' });
    expect(spec.template.spec.expireAfter).toBe('720h');
    expect(spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
  });

  test('the EC2NodeClass and NodePool match the schemas of Karpenter 1.14.1\'s CRDs', () => {
    expect([nodeClass(), nodePool()].map(kubernetesProblem)).toEqual([undefined, undefined]);
  });

  test('a NodePool the CRD schema refuses is reported', () => {
    expect(kubernetesProblem({ ...nodePool(), spec: { ...nodePool().spec, disruption: { consolidationPolicy: 'Sometimes' } } }))
      .toMatch(/consolidationPolicy must be equal to one of the allowed values/);
  });

  test('the chart waits for compute, IAM and the queue; the NodeClass for the chart and access entry; the NodePool for the NodeClass', () => {
    expect(dependsOn(template, chartId)).toEqual(expect.arrayContaining([
      logicalId(cluster.nodegroups[0]), logicalId(resources.role), ...resources.policies.map(logicalId), logicalId(resources.interruptionQueue.queue),
      stack.getLogicalId(resources.node.findChild('PodIdentityAssociation') as any),
    ]));
    expect(dependsOn(template, nodeClassId)).toEqual(expect.arrayContaining([chartId, logicalId(resources.nodeAccessEntry)]));
    expect(dependsOn(template, nodePoolId)).toContain(nodeClassId);
  });

  test('has no compliance findings', () => {
    expectNoComplianceFindings(stack);
  });
});

describe('Karpenter on Fargate', () => {
  test('uses IRSA on a Fargate-only cluster, where Pod Identity does not work', () => {
    const karpenter = new Karpenter();
    const { template } = synthWith({ addons: [karpenter], compute: Compute.FARGATE_ONLY });
    template.resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { ServiceAccount: 'karpenter' }, 0);
    const values = helmValues(template, customResourceId(installationOf(karpenter).chart));
    expect(values.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toContain(logicalId(installationOf(karpenter).role));
    expect(JSON.stringify(template.toJSON().Resources[logicalId(installationOf(karpenter).role)].Properties.AssumeRolePolicyDocument)).toContain('sts:AssumeRoleWithWebIdentity');
  });

  test('uses IRSA when a profile selects the controller\'s pods on a cluster with nodes', () => {
    const stack = newStack();
    const karpenter = new Karpenter();
    new PlatformCluster(stack, 'Cluster', {
      nodegroups: [{ id: 'System' }],
      fargateProfiles: [{ id: 'Karpenter', selectors: [{ namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'karpenter' } }] }],
      addons: [karpenter],
    });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { ServiceAccount: 'karpenter' }, 0);
    expect(dependsOn(template, customResourceId(installationOf(karpenter).chart))).toContain(logicalId(installationOf(karpenter).role));
  });

  test('fails at synth on a Fargate-only cluster whose profiles do not select the controller', () => {
    const stack = newStack();
    new PlatformCluster(stack, 'Cluster', {
      fargateProfiles: [{ id: 'Dns', selectors: [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }] }],
      addons: [new Karpenter()],
    });
    expect(() => Template.fromStack(stack)).toThrow(/fargateProfiles: on a Fargate-only cluster the karpenter pods run on Fargate.*app.kubernetes.io\/name/);
  });

  test('fails when Pod Identity is asked for a controller on Fargate', () => {
    expect(() => clusterWith({ addons: [new Karpenter({ identityType: eks.IdentityType.POD_IDENTITY })], compute: Compute.FARGATE_ONLY }))
      .toThrow(/identityType: EKS Pod Identity does not work for pods on Fargate/);
  });
});

describe('Karpenter options', () => {
  test('fails at synth when the Cluster Autoscaler is installed too, whatever the order', () => {
    const { stack } = clusterWith({ addons: [new NamedAddon('cluster-autoscaler'), new Karpenter()], compute: Compute.NODES_ONLY });
    expect(() => Template.fromStack(stack)).toThrow(/Karpenter and the Cluster Autoscaler both scale the nodes.*install one of them/);
  });

  test('fails for a chart that does not support the cluster\'s Kubernetes minor', () => {
    expect(() => clusterWith({ addons: [new Karpenter({ chartVersion: '1.8.2' })] })).toThrow(/chartVersion: Karpenter 1.8.2 supports Kubernetes 1.26 to 1.34, got a cluster on 1.36/);
  });

  test('warns for a chart whose compatibility the library does not know', () => {
    const { stack } = clusterWith({ addons: [new Karpenter({ chartVersion: '1.15.0' })] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('karpenter-compatibility-unknown'))).toHaveLength(1);
  });

  test('warns that al2023@latest is not reproducible', () => {
    const { stack } = clusterWith({ addons: [new Karpenter()] });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('karpenter-ami-latest'))).toHaveLength(1);
  });

  test('gives Bottlerocket nodes an OS volume and an encrypted data volume', () => {
    const karpenter = new Karpenter({ defaultNodeClass: { ami: KarpenterAmi.bottlerocket('v1.65.0'), volumeSize: 80 } });
    const { template } = synthWith({ addons: [karpenter] });
    const spec = manifestObjects(template, customResourceId(installationOf(karpenter).nodeClasses.default))[0].spec;
    expect(spec.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@v1.65.0' }]);
    expect(spec.blockDeviceMappings.map((b: any) => [b.deviceName, b.ebs.volumeSize, b.ebs.encrypted])).toEqual([['/dev/xvda', '4Gi', true], ['/dev/xvdb', '80Gi', true]]);
  });

  test('without defaults, creates only the pools added, each after its node class', () => {
    const karpenter = new Karpenter({ createDefaults: false, nodeSelector: { role: 'system' }, tolerations: [{ key: 'system', effect: eks.TaintEffect.NO_SCHEDULE }] });
    const { cluster } = clusterWith({ addons: [karpenter] });
    const installation = installationOf(karpenter);
    const nodeClass = installation.addNodeClass('arm', { ami: KarpenterAmi.al2023('v20260903') });
    const pool = installation.addNodePool('arm-spot', {
      nodeClassName: 'arm', capacityTypes: [KarpenterCapacityType.SPOT], architectures: [KarpenterArchitecture.ARM64],
      expireAfter: Duration.days(7), taints: [{ key: 'batch', value: 'true', effect: eks.TaintEffect.NO_SCHEDULE }], weight: 10,
    });
    const template = Template.fromStack(cluster.node.scope as any);
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 2);
    expect(dependsOn(template, customResourceId(pool))).toContain(customResourceId(nodeClass));
    const spec = manifestObjects(template, customResourceId(pool))[0].spec;
    expect(spec.template.spec.taints).toEqual([{ key: 'batch', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.template.spec.expireAfter).toBe('168h');
    const values = helmValues(template, customResourceId(installationOf(karpenter).chart));
    expect(values.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'role': 'system' });
    expect(values.tolerations).toEqual([{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'system', operator: 'Exists', effect: 'NoSchedule' }]);
  });

  test('adds NodePools through the installation only, so no NodePool can be added before an install', () => {
    expect((new Karpenter() as any).addNodePool).toBeUndefined();
    expect(typeof KarpenterInstallation.prototype.addNodePool).toBe('function');
  });

  test('fails when a NodePool name is added twice', () => {
    const karpenter = new Karpenter();
    clusterWith({ addons: [karpenter] });
    expect(() => installationOf(karpenter).addNodePool('default')).toThrow(/name: a NodePool 'default' already exists/);
  });

  test('fails on a chart version that is not Karpenter v1\'s', () => {
    expect(() => new Karpenter({ chartVersion: 'v1.14.1' })).toThrow(/chartVersion: not a Karpenter v1 chart version, got 'v1.14.1'/);
  });

  test('fails on zero replicas', () => {
    expect(() => new Karpenter({ replicas: 0 })).toThrow(/replicas: must be a whole number of at least 1, got 0/);
  });

  test('fails when default options are given without defaults', () => {
    expect(() => new Karpenter({ createDefaults: false, defaultNodePool: {} })).toThrow(/createDefaults: false creates no default/);
  });

  test('fails on an AMI version that is no release', () => {
    expect(() => KarpenterAmi.al2023('2026-09-03')).toThrow(/version: not a AL2023 release for a Karpenter alias, got '2026-09-03'/);
  });

  test('fails on a NodePool without capacity types', () => {
    expect(() => clusterWith({ addons: [new Karpenter({ defaultNodePool: { capacityTypes: [] } })] })).toThrow(/capacityTypes: NodePool 'default' needs at least one value/);
  });

  test('fails on a kubectl-less cluster', () => {
    expect(() => clusterWith({ addons: [new Karpenter()], kubectl: false })).toThrow(/kubectl: the karpenter add-on installs a Helm chart/);
  });
});

describe('Karpenter across clusters and stacks', () => {
  /** A platform stack with a cluster (one node group) and an add-ons stack beside it. */
  function twoStacks() {
    const app = newApp();
    const platformStack = new Stack(app, 'Platform');
    const platform = new PlatformCluster(platformStack, 'Cluster', { nodegroups: [{ id: 'System' }] });
    const addonsStack = new Stack(app, 'Addons');
    return { app, platformStack, platform, addonsStack };
  }

  test('installs one add-on object on two clusters, each installation with its own chart, roles, queue and pools', () => {
    const stack = newStack();
    const first = new PlatformCluster(stack, 'First', { nodegroups: [{ id: 'N' }] });
    const second = new PlatformCluster(stack, 'Second', { nodegroups: [{ id: 'N' }] });
    const karpenter = new Karpenter({ defaultNodeClass: { ami: KarpenterAmi.al2023('v20260903') } });
    const a = karpenter.install(first, first);
    const b = karpenter.install(second, second);
    a.addNodePool('batch');
    expect([a.role, a.nodeRole, a.interruptionQueue, a.chart]).not.toEqual(expect.arrayContaining([b.role, b.nodeRole, b.interruptionQueue, b.chart]));
    expect(Object.keys(a.nodePools)).toEqual(['default', 'batch']);
    expect(Object.keys(b.nodePools)).toEqual(['default']);
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 2);
    template.resourceCountIs('AWS::SQS::Queue', 2);
    const names = [first, second].map((c) => (c.cluster.node.defaultChild as eks.CfnCluster).name);
    expect([a.clusterName, b.clusterName]).toEqual(names);
    expect(helmValues(template, customResourceId(b.chart)).settings.clusterName).toContain(logicalId(second.cluster));
  });

  test('installed from an add-ons stack, creates its resources there and leaves the platform stack independent', () => {
    const { app, platformStack, platform, addonsStack } = twoStacks();
    const karpenter = new Karpenter({ defaultNodeClass: { ami: KarpenterAmi.al2023('v20260903') } }).install(addonsStack, platform);
    const pool = karpenter.addNodePool('batch');
    expect(Stack.of(karpenter.chart)).toBe(addonsStack);
    expect(Stack.of(pool)).toBe(addonsStack);
    expect(karpenter.chart.node.dependencies).toContain(platform.nodegroups[0]);
    expect(() => app.synth()).not.toThrow();
    expect(platformStack.dependencies).toEqual([]);
    expect(addonsStack.dependencies).toContain(platformStack);
    const template = Template.fromStack(addonsStack);
    template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
    template.resourceCountIs('Custom::AWSCDK-EKS-KubernetesResource', 3);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ServiceAccount: 'karpenter' });
    expect(platform.installedAddonNames).toContain('karpenter');
    expectNoComplianceFindings(karpenter);
  });

  test('fails at synth beside the Cluster Autoscaler installed from another stack', () => {
    const { app, platform, addonsStack } = twoStacks();
    new Karpenter().install(addonsStack, platform);
    new NamedAddon('cluster-autoscaler').install(addonsStack, platform);
    expect(() => app.synth()).toThrow(/addons: Karpenter and the Cluster Autoscaler both scale the nodes of Platform\/Cluster/);
  });

  test('fails at synth when installed from another stack on a cluster whose addons hold the Cluster Autoscaler', () => {
    const app = newApp();
    const platformStack = new Stack(app, 'Platform');
    const platform = new PlatformCluster(platformStack, 'Cluster', { nodegroups: [{ id: 'System' }], addons: [new NamedAddon('cluster-autoscaler')] });
    new Karpenter().install(new Stack(app, 'Addons'), platform);
    expect(() => app.synth()).toThrow(/addons: Karpenter and the Cluster Autoscaler both scale the nodes/);
  });

  test('fails when installed twice on one cluster, through the cluster and from another stack', () => {
    const { platform, addonsStack } = twoStacks();
    platform.addAddon(new Karpenter());
    expect(() => new Karpenter().install(addonsStack, platform)).toThrow(/addons: 'karpenter' is already installed on Platform\/Cluster/);
  });
});

describe('Karpenter on an imported cluster', () => {
  const { app, platform, addonsStack, kubectlProvider } = platformAndAddonsStacks();
  const attrs = { clusterName: 'platform-cluster', vpc: platform.vpc, version: eks.KubernetesVersion.V1_36, kubectlProvider, clusterSecurityGroupId: 'sg-0123456789abcdef0' };
  const imported = PlatformCluster.fromClusterAttributes(addonsStack, 'Imported', attrs);
  const karpenter = new Karpenter({ defaultNodeClass: { ami: KarpenterAmi.al2023('v20260903') } }).install(addonsStack, imported);

  test('names the imported cluster in its policies and settings, looks up the endpoint itself, and uses the given security group', () => {
    const template = Template.fromStack(addonsStack);
    expect(karpenter.clusterName).toBe('platform-cluster');
    const values = helmValues(template, customResourceId(karpenter.chart));
    expect(values.settings.clusterName).toBe('platform-cluster');
    expect(values.settings.clusterEndpoint).toBeUndefined();
    const spec = manifestObjects(template, customResourceId(karpenter.nodeClasses.default))[0].spec;
    expect(spec.securityGroupSelectorTerms).toEqual([{ id: 'sg-0123456789abcdef0' }]);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: ['kubectl'], PolicyDocument: { Statement: [Match.objectLike({ Action: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'] })] } });
    expect(() => app.synth()).not.toThrow();
  });

  test('fails without a kubectl provider', () => {
    const bare = PlatformCluster.fromClusterAttributes(addonsStack, 'Bare', { ...attrs, kubectlProvider: undefined });
    expect(() => new Karpenter().install(bare, bare)).toThrow(/^kubectl: the karpenter add-on installs a Helm chart and its NodePools and needs the cluster's kubectl handler/);
  });

  test('fails without a cluster security group, which its EC2NodeClasses select', () => {
    const noSg = PlatformCluster.fromClusterAttributes(addonsStack, 'NoSg', { ...attrs, clusterSecurityGroupId: undefined });
    expect(() => new Karpenter().install(noSg, noSg)).toThrow(/^clusterSecurityGroupId: Karpenter's nodes join through the cluster security group/);
  });

  test('fails on Fargate without an OIDC provider for IRSA', () => {
    const fargate = PlatformCluster.fromClusterAttributes(addonsStack, 'Fargate', { ...attrs, fargateOnly: true, fargateSelectors: [{ namespace: 'kube-system' }] });
    expect(() => new Karpenter().install(fargate, fargate)).toThrow(/^openIdConnectProvider: the Karpenter controller gets credentials through IRSA/);
  });

  test('fails with Pod Identity on a cluster without the agent', () => {
    const noAgent = PlatformCluster.fromClusterAttributes(addonsStack, 'NoAgent', { ...attrs, podIdentityAgent: false });
    expect(() => new Karpenter().install(noAgent, noAgent)).toThrow(/^cluster: the karpenter add-on binds its role through EKS Pod Identity/);
  });

  test('fails on a cluster name unknown at synth', () => {
    const tokenName = PlatformCluster.fromClusterAttributes(addonsStack, 'TokenName', { ...attrs, clusterName: Fn.importValue('ClusterName') });
    expect(() => new Karpenter().install(tokenName, tokenName)).toThrow(/^clusterName: Karpenter's IAM policies name the cluster in tag condition keys/);
  });
});

describe('Karpenter under EKS Auto Mode', () => {
  test('fails at synth when installed from another stack on an Auto Mode cluster, which runs Karpenter-based autoscaling itself', () => {
    const app = newApp();
    const platform = new PlatformCluster(new Stack(app, 'Platform'), 'Cluster', { compute: ClusterCompute.autoMode() });
    new Karpenter().install(new Stack(app, 'Addons'), platform);
    expect(() => app.synth()).toThrow(/addons: EKS Auto Mode runs node autoscaling \(Karpenter-based\).*, got the karpenter add-on on Platform\/Cluster/);
  });
});
