import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { ComplianceReport } from '../../../lib/compliance/compliance-report';
import { ClusterAddon } from '../../../lib/eks/addons/cluster-addon';
import { ClusterAutoscaler, ClusterAutoscalerExpander, ClusterAutoscalerInstallation } from '../../../lib/eks/addons/cluster-autoscaler';
import { PlatformCluster } from '../../../lib/eks/platform-cluster';
import { PlatformNodegroup } from '../../../lib/eks/platform-nodegroup';
import { IPlatformCluster } from '../../../lib/eks/platform-cluster-ref';
import { expectNoComplianceFindings, newStack } from '../../helpers';
import { clusterWith, Compute, customResourceId, dependsOn, helmValues, importedKubectlProvider, installationOf, logicalId, synthWith } from './addon-test-cluster';

/** Stands in for the Karpenter add-on (lib/eks/addons/karpenter.ts): registers its name, installs nothing. */
class FakeKarpenter extends ClusterAddon {
  public readonly name = 'karpenter';
  public install(scope: Construct, cluster: IPlatformCluster): Construct {
    const installation = new Construct(scope, 'FakeKarpenter');
    cluster.registerAddon(this.name, installation);
    return installation;
  }
}

/** A cluster on a Kubernetes minor with one node group and the given add-ons. */
function clusterOn(minor: string, addons: ClusterAddon[]) {
  const stack = newStack();
  const kubectlLayer = minor === '1.36' ? undefined : lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', 'arn:aws:lambda:us-east-1:111122223333:layer:kubectl:1');
  const cluster = new PlatformCluster(stack, 'Cluster', { version: eks.KubernetesVersion.of(minor), kubectlLayer, nodegroups: [{ id: 'Default' }], addons });
  return { stack, cluster };
}

describe('ClusterAutoscaler on a cluster with nodes', () => {
  const ca = new ClusterAutoscaler();
  const { stack, cluster, template } = synthWith({ addons: [ca], compute: Compute.NODES_ONLY });
  const installation = installationOf<ClusterAutoscalerInstallation>(ca);
  const chartId = customResourceId(installation.chart);
  const values = helmValues(template, chartId);
  const scope = cluster.node.findChild('ClusterAutoscaler');

  test('returns a typed installation at the construct path the release had (cluster/ClusterAutoscaler)', () => {
    expect(scope).toBe(installation);
    expect(installation).toBeInstanceOf(ClusterAutoscalerInstallation);
    expect(installation.imageTag).toBe('v1.36.1');
  });

  test('installs chart cluster-autoscaler 9.59.0 from SIG Autoscaling\'s repository into kube-system, and waits for it', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'cluster-autoscaler',
      Repository: 'https://kubernetes.github.io/autoscaler',
      Version: '9.59.0',
      Release: 'cluster-autoscaler',
      Namespace: 'kube-system',
      Wait: true,
    });
  });

  test('discovers the Auto Scaling groups EKS tags for this cluster, with the region given as a value', () => {
    expect(values.cloudProvider).toBe('aws');
    expect(values.autoDiscovery.clusterName).toBe(`@@{'Ref':'${logicalId(cluster.cluster)}'}@@`);
    expect(values.awsRegion).toBe("@@{'Ref':'AWS::Region'}@@");
  });

  test('runs the 1.36 image on Kubernetes 1.36, two replicas, with the recommended flags', () => {
    expect(values.image).toEqual({ tag: 'v1.36.1' });
    expect(values.replicaCount).toBe(2);
    expect(values.extraArgs).toEqual(expect.objectContaining({
      'expander': 'least-waste',
      'balance-similar-node-groups': true,
      'skip-nodes-with-system-pods': false,
    }));
    expect(values.resources.requests).toEqual({ cpu: '100m', memory: '600Mi' });
  });

  test('binds service account cluster-autoscaler to a Pod Identity role', () => {
    expect(values.rbac.serviceAccount).toEqual({ create: true, name: 'cluster-autoscaler' });
    expect(values.fullnameOverride).toBe('cluster-autoscaler');
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'kube-system',
      ServiceAccount: 'cluster-autoscaler',
      RoleArn: { 'Fn::GetAtt': [logicalId(installation.role), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ Ref: logicalId(installation.policy) }],
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'pods.eks.amazonaws.com' } })]) },
    });
  });

  test('may scale only Auto Scaling groups tagged for this cluster, in a managed policy', () => {
    const statements: any[] = template.toJSON().Resources[logicalId(installation.policy)].Properties.PolicyDocument.Statement;
    const scale = statements.find((s) => s.Sid === 'ScaleOwnNodegroups');
    expect(scale.Action).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    expect(scale.Condition).toEqual({
      StringEquals: {
        'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
        [`aws:ResourceTag/k8s.io/cluster-autoscaler/${(cluster.cluster.node.defaultChild as eks.CfnCluster).name}`]: 'owned',
      },
    });
    expect(JSON.stringify(scale.Resource)).toContain(':autoScalingGroup:*:autoScalingGroupName/*');
    // Only describe actions are granted on every resource.
    const onEverything = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat());
    expect(onEverything.every((a: string) => /^(autoscaling|ec2):(Describe|Get)/.test(a))).toBe(true);
    const describeNodegroup = statements.find((s) => s.Sid === 'DescribeOwnNodegroups');
    expect(JSON.stringify(describeNodegroup.Resource)).toContain(logicalId(cluster.cluster));
  });

  test('starts after its role, its association and the node groups, and stops before them', () => {
    expect(dependsOn(template, chartId)).toEqual(expect.arrayContaining([
      logicalId(installation.role),
      stack.getLogicalId(installation.podIdentityAssociation),
      logicalId(cluster.nodegroups[0]),
    ]));
  });

  test('leaves the node groups it scales without the fixed-size warning', () => {
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('nothing scales it'));
  });

  test('has no unacknowledged finding in the five packs, and no acknowledgement that hides nothing', () => {
    expectNoComplianceFindings(scope);
    expect(ComplianceReport.check(scope, ComplianceReport.platformPacks()).unmatchedAcknowledgements).toEqual([]);
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => cluster.addAddon(new ClusterAutoscaler())).toThrow(/'cluster-autoscaler' is already installed/);
  });
});

describe('ClusterAutoscaler image per Kubernetes minor', () => {
  test.each([['1.33', 'v1.33.6'], ['1.34', 'v1.34.5'], ['1.35', 'v1.35.2'], ['1.36', 'v1.36.1']])('runs the %s build %s', (minor, tag) => {
    const ca = new ClusterAutoscaler();
    const { stack } = clusterOn(minor, [ca]);
    expect(helmValues(Template.fromStack(stack), customResourceId(installationOf<ClusterAutoscalerInstallation>(ca).chart)).image.tag).toBe(tag);
  });

  test('fails on a minor the version table has no build for', () => {
    expect(() => clusterOn('1.32', [new ClusterAutoscaler()])).toThrow(/imageTag: the Cluster Autoscaler must match the cluster's Kubernetes minor, and this library's version table has no build for 1.32/);
  });

  test('takes a given imageTag on such a minor', () => {
    const ca = new ClusterAutoscaler({ imageTag: 'v1.32.7', expander: ClusterAutoscalerExpander.MOST_PODS, replicas: 1 });
    const { stack } = clusterOn('1.32', [ca]);
    const values = helmValues(Template.fromStack(stack), customResourceId(installationOf<ClusterAutoscalerInstallation>(ca).chart));
    expect(values.image.tag).toBe('v1.32.7');
    expect(values.extraArgs.expander).toBe('most-pods');
    expect(values.replicaCount).toBe(1);
  });
});

describe('ClusterAutoscaler validation', () => {
  const synth = (construct: IConstruct) => Template.fromStack(construct.node.scope as any);

  test('fails at synth on a Fargate-only cluster, which has no node group to scale', () => {
    const { stack } = clusterWith({ addons: [new ClusterAutoscaler()], compute: Compute.FARGATE_ONLY });
    expect(() => Template.fromStack(stack)).toThrow(/nodegroups: the Cluster Autoscaler scales managed node groups, got none on Test\/Cluster \(a Fargate-only cluster/);
  });

  test('fails at synth beside Karpenter', () => {
    const { stack } = clusterWith({ addons: [new ClusterAutoscaler(), new FakeKarpenter()], compute: Compute.NODES_ONLY });
    expect(() => Template.fromStack(stack)).toThrow(/addons: the Cluster Autoscaler and Karpenter both add and remove nodes, got both on Test\/Cluster/);
  });

  test('fails at synth when a Fargate profile selects its pods, which Pod Identity cannot serve', () => {
    const stack = newStack();
    const cluster = new PlatformCluster(stack, 'Cluster', { nodegroups: [{ id: 'Default' }], fargateProfiles: [{ id: 'System', selectors: [{ namespace: 'kube-system' }] }] });
    cluster.addAddon(new ClusterAutoscaler());
    expect(() => synth(cluster)).toThrow(/fargateProfiles: a Fargate profile of Test\/Cluster selects the Cluster Autoscaler's pods/);
  });

  test('fails when the cluster has no kubectl handler', () => {
    expect(() => clusterWith({ addons: [new ClusterAutoscaler()], kubectl: false })).toThrow(/kubectl: the cluster-autoscaler add-on installs a Helm chart/);
  });

  test('fails on a chart version or image tag in the wrong shape, and on no replicas', () => {
    expect(() => new ClusterAutoscaler({ chartVersion: 'v9.59.0' })).toThrow(/chartVersion: not a Helm chart version, got 'v9.59.0'/);
    expect(() => new ClusterAutoscaler({ imageTag: '1.36.1' })).toThrow(/imageTag: not a Cluster Autoscaler release tag, got '1.36.1'/);
    expect(() => new ClusterAutoscaler({ replicas: 0 })).toThrow(/replicas: must be a whole number of at least 1, got 0/);
  });
});

describe('ClusterAutoscaler across stacks', () => {
  /** A cluster with no node group of its own and a second stack of the same app. */
  function clusterAndAddonsStack(nodegroups: boolean) {
    const stack = newStack();
    const cluster = new PlatformCluster(stack, 'Cluster', { clusterName: 'platform', nodegroups: nodegroups ? [{ id: 'Default' }] : [] });
    const addons = new Stack(stack.node.scope as App, 'Addons');
    return { stack, cluster, addons };
  }

  test('installs in an add-ons stack, with the cluster\'s literal name in its policy and no unacknowledged finding', () => {
    const { cluster, addons } = clusterAndAddonsStack(true);
    const installation = new ClusterAutoscaler().install(addons, cluster);
    const template = Template.fromStack(addons);
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'cluster-autoscaler' });
    const statements: any[] = template.toJSON().Resources[logicalId(installation.policy)].Properties.PolicyDocument.Statement;
    expect(JSON.stringify(statements.find((s) => s.Sid === 'DescribeOwnNodegroups').Resource)).toContain(':nodegroup/platform/*/*');
    expectNoComplianceFindings(installation);
    expect(cluster.installedAddonNames).toContain('cluster-autoscaler');
  });

  test('scales node groups of other stacks: a PlatformNodegroup there counts, and gets no fixed-size warning', () => {
    const { stack, cluster, addons } = clusterAndAddonsStack(false);
    const team = new Stack(stack.node.scope as App, 'Team');
    new PlatformNodegroup(team, 'Team', { cluster, minSize: 1, maxSize: 5 });
    new ClusterAutoscaler().install(addons, cluster);
    expect(() => Template.fromStack(addons)).not.toThrow();
    Annotations.fromStack(team).hasNoWarning('*', Match.stringLikeRegexp('nothing scales it'));
  });

  test('fails at synth beside Karpenter installed in another stack', () => {
    const { cluster, addons } = clusterAndAddonsStack(true);
    cluster.addAddon(new ClusterAutoscaler());
    new FakeKarpenter().install(addons, cluster);
    expect(() => Template.fromStack(addons)).toThrow(/addons: the Cluster Autoscaler and Karpenter both add and remove nodes, got both on Test\/Cluster/);
  });

  test('fails at synth on a cluster this app creates with no node group in any stack', () => {
    const { cluster, addons } = clusterAndAddonsStack(false);
    new ClusterAutoscaler().install(addons, cluster);
    expect(() => Template.fromStack(addons)).toThrow(/nodegroups: the Cluster Autoscaler scales managed node groups, got none on Test\/Cluster;/);
  });

  test('installs on an imported cluster whose node groups this app cannot see', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const kubectlProvider = importedKubectlProvider(stack, 'arn:aws:lambda:us-east-1:111122223333:function:kubectl');
    const cluster = PlatformCluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'shared', vpc, version: eks.KubernetesVersion.V1_36, kubectlProvider });
    const installation = new ClusterAutoscaler().install(stack, cluster);
    expect(() => Template.fromStack(stack)).not.toThrow();
    expectNoComplianceFindings(installation);
  });

  test('fails at synth on an imported cluster said to be Fargate-only', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const kubectlProvider = importedKubectlProvider(stack, 'arn:aws:lambda:us-east-1:111122223333:function:kubectl');
    const cluster = PlatformCluster.fromClusterAttributes(stack, 'Imported', { clusterName: 'shared', vpc, version: eks.KubernetesVersion.V1_36, kubectlProvider, fargateOnly: true });
    new ClusterAutoscaler().install(stack, cluster);
    expect(() => Template.fromStack(stack)).toThrow(/nodegroups: the Cluster Autoscaler scales managed node groups, got none on Test\/Imported \(a Fargate-only cluster/);
  });
});
