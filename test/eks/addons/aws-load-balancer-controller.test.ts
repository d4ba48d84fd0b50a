import { CfnParameter } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { AwsLoadBalancerController } from '../../../lib/eks/addons/aws-load-balancer-controller';
import { ContainerInsights } from '../../../lib/eks/addons/container-insights';
import { MetricsServer } from '../../../lib/eks/addons/metrics-server';
import { PlatformCluster } from '../../../lib/eks/platform-cluster';
import { expectNoComplianceFindings, newStack } from '../../helpers';
import { clusterWith, Compute, customResourceId, dependsOn, helmValues, logicalId, manifestObjects, synthWith, installationOf } from './addon-test-cluster';

describe('AwsLoadBalancerController on a cluster with nodes and Fargate', () => {
  const lbc = new AwsLoadBalancerController();
  const { stack, cluster, template } = synthWith({ addons: [lbc] });
  const chartId = customResourceId(installationOf(lbc).chart);

  test('installs chart aws-load-balancer-controller 3.5.0 from eks-charts into kube-system', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'aws-load-balancer-controller',
      Repository: 'https://aws.github.io/eks-charts',
      Version: '3.5.0',
      Release: 'aws-load-balancer-controller',
      Namespace: 'kube-system',
    });
  });

  test('waits for the release with a Helm timeout below the 15 minutes of the kubectl Lambda', () => {
    const props = template.toJSON().Resources[chartId].Properties;
    expect(props.Wait).toBe(true);
    expect(parseInt(props.Timeout, 10)).toBeLessThan(15 * 60);
  });

  test('passes the cluster name, region and VPC id as values, so the controller needs no instance metadata', () => {
    const values = helmValues(template, chartId);
    expect(values.clusterName).toMatch(/^@@.*Ref.*@@$/);
    expect(values.region).toBe("@@{'Ref':'AWS::Region'}@@");
    expect(values.vpcId).toContain(stack.getLogicalId(cluster.vpc.node.defaultChild as any));
    expect(values.replicaCount).toBe(2);
  });

  test('binds the chart\'s service account to a Pod Identity role', () => {
    expect(helmValues(template, chartId).serviceAccount).toEqual({ create: true, name: 'aws-load-balancer-controller', annotations: {} });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'kube-system',
      ServiceAccount: 'aws-load-balancer-controller',
      RoleArn: { 'Fn::GetAtt': [logicalId(installationOf(lbc).role), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: Match.arrayWith(['sts:TagSession']), Principal: { Service: 'pods.eks.amazonaws.com' } })]),
      },
    });
  });

  test('attaches upstream\'s IAM policy as a customer managed policy, in the stack\'s partition', () => {
    const policy = template.toJSON().Resources[logicalId(installationOf(lbc).policy)];
    expect(policy.Type).toBe('AWS::IAM::ManagedPolicy');
    const statements: any[] = policy.Properties.PolicyDocument.Statement;
    const actions = new Set(statements.flatMap((st) => [st.Action].flat()));
    // 80 distinct actions in upstream's file since v2.13.0, including the ones v3 cannot work without.
    expect(actions.size).toBe(80);
    for (const a of ['ec2:GetSecurityGroupsForVpc', 'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:SetRulePriorities', 'shield:CreateProtection']) {
      expect(actions.has(a)).toBe(true);
    }
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
      Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } },
    }));
    expect(JSON.stringify(statements)).not.toContain('arn:aws:');
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: [{ Ref: logicalId(installationOf(lbc).policy) }] });
  });

  test('creates an IngressClass alb for the controller, as the cluster default', () => {
    const [ingressClass] = manifestObjects(template, customResourceId(installationOf(lbc).ingressClass));
    expect(ingressClass).toEqual({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: expect.objectContaining({ name: 'alb', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }),
      spec: { controller: 'ingress.k8s.aws/alb' },
    });
    expect(helmValues(template, chartId).createIngressClassResource).toBe(false);
  });

  test('starts the controller after its role, its Pod Identity association and the compute it runs on, and stops it before them', () => {
    expect(dependsOn(template, chartId)).toEqual(expect.arrayContaining([
      logicalId(installationOf(lbc).role),
      stack.getLogicalId(cluster.node.findChild('AwsLoadBalancerController').node.findChild('PodIdentityAssociation') as any),
      logicalId(cluster.nodegroups[0]),
      logicalId(cluster.fargateProfiles[0]),
    ]));
  });

  test('creates the Pod Identity association without waiting for the agent (an API object; nodes wait for the agent)', () => {
    const association = stack.getLogicalId(cluster.node.findChild('AwsLoadBalancerController').node.findChild('PodIdentityAssociation') as any);
    expect(dependsOn(template, association)).not.toContain(logicalId(cluster.podIdentityAgent!));
  });

  test('registers its webhooks only after every managed add-on of the cluster has created its Services', () => {
    expect(dependsOn(template, chartId)).toEqual(expect.arrayContaining(
      [cluster.podIdentityAgent!, cluster.vpcCni!, cluster.kubeProxy!, cluster.coreDns!].map(logicalId),
    ));
  });

  test('creates the IngressClass without waiting for the Helm release, which registers no webhook for it', () => {
    expect(dependsOn(template, customResourceId(installationOf(lbc).ingressClass))).not.toContain(chartId);
  });

  test('makes a resource given to addLoadBalancedResource wait for the controller and its IngressClass, and go before them', () => {
    const { stack: s, cluster: c } = clusterWith();
    const controller = new AwsLoadBalancerController();
    c.addAddon(controller);
    const ingress = c.cluster.addManifest('Web', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' } });
    installationOf(controller).addLoadBalancedResource(ingress);
    const t = Template.fromStack(s);
    expect(dependsOn(t, customResourceId(ingress))).toEqual(expect.arrayContaining([customResourceId(installationOf(controller).chart), customResourceId(installationOf(controller).ingressClass)]));
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('AwsLoadBalancerController'));
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => cluster.addAddon(new AwsLoadBalancerController())).toThrow(/'aws-load-balancer-controller' is already installed/);
  });

  test('returns an installation whose members are defined', () => {
    const installation = installationOf(lbc);
    expect([installation.chart, installation.role, installation.policy, installation.ingressClass].every((m) => m !== undefined)).toBe(true);
  });
});

describe('AwsLoadBalancerController and managed add-ons installed after it', () => {
  const lbc = new AwsLoadBalancerController();
  const insights = new ContainerInsights();
  const metrics = new MetricsServer();
  const { stack, cluster } = clusterWith({ addons: [lbc, insights] });
  cluster.addAddon(metrics);
  // Template.fromStack fails on a dependency cycle ("Template is undeployable"), so building it is the cycle check.
  const template = Template.fromStack(stack);
  const chartId = customResourceId(installationOf(lbc).chart);

  test('makes the Helm release wait for add-ons installed after it, through props and addAddon', () => {
    expect(dependsOn(template, chartId)).toEqual(expect.arrayContaining([logicalId(installationOf(insights).addon!), logicalId(installationOf(metrics).addon), logicalId(cluster.coreDns!)]));
  });

  test('leaves those add-ons waiting for compute only, not for the release', () => {
    expect(dependsOn(template, logicalId(installationOf(metrics).addon))).toEqual(expect.arrayContaining([logicalId(cluster.nodegroups[0])]));
    expect(dependsOn(template, logicalId(installationOf(metrics).addon))).not.toContain(chartId);
  });
});

describe('AwsLoadBalancerController on a Fargate-only cluster', () => {
  const lbc = new AwsLoadBalancerController();
  const { cluster, template } = synthWith({ addons: [lbc], compute: Compute.FARGATE_ONLY });
  const chartId = customResourceId(installationOf(lbc).chart);

  test('falls back to IRSA: the role trusts the cluster\'s OIDC provider for its service account only', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0);
    const trust = template.toJSON().Resources[logicalId(installationOf(lbc).role)].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(trust.Principal.Federated).toBeDefined();
    expect(JSON.stringify(template.toJSON())).toContain('system:serviceaccount:kube-system:aws-load-balancer-controller');
  });

  test('annotates the service account with the IRSA role', () => {
    expect(helmValues(template, chartId).serviceAccount.annotations['eks.amazonaws.com/role-arn']).toContain(logicalId(installationOf(lbc).role));
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('AwsLoadBalancerController'));
  });

  test('fails at synth when no Fargate profile selects the controller\'s pods', () => {
    const stack = newStack();
    new PlatformCluster(stack, 'Cluster', {
      fargateProfiles: [{ id: 'CoreDns', selectors: [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }] }],
      addons: [new AwsLoadBalancerController()],
    });
    expect(() => Template.fromStack(stack)).toThrow(/fargateProfiles: on a Fargate-only cluster the aws-load-balancer-controller pods run on Fargate.*labels: \{ 'app.kubernetes.io\/name': 'aws-load-balancer-controller' \}/);
  });

  test('fails when identityType asks for Pod Identity', () => {
    expect(() => clusterWith({ addons: [new AwsLoadBalancerController({ identityType: eks.IdentityType.POD_IDENTITY })], compute: Compute.FARGATE_ONLY }))
      .toThrow(/identityType: EKS Pod Identity does not work for pods on Fargate/);
  });
});

describe('AwsLoadBalancerController on a cluster with nodes whose Fargate profile selects kube-system', () => {
  const profiles = [{ id: 'System', selectors: [{ namespace: 'kube-system' }] }];

  test('uses IRSA, because its pods land on Fargate', () => {
    const lbc = new AwsLoadBalancerController();
    const stack = newStack();
    new PlatformCluster(stack, 'Cluster', { nodegroups: [{ id: 'Default' }], fargateProfiles: profiles, addons: [lbc] });
    const trust = Template.fromStack(stack).toJSON().Resources[logicalId(installationOf(lbc).role)].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
  });

  test('fails when identityType asks for Pod Identity', () => {
    expect(() => new PlatformCluster(newStack(), 'Cluster', {
      nodegroups: [{ id: 'Default' }], fargateProfiles: profiles, addons: [new AwsLoadBalancerController({ identityType: eks.IdentityType.POD_IDENTITY })],
    })).toThrow(/identityType: EKS Pod Identity does not work for pods on Fargate.*a profile selects them in kube-system/);
  });
});

describe('AwsLoadBalancerController on a cluster with nodes whose Fargate selector is unknown at synth', () => {
  const withProfile = (lbc: AwsLoadBalancerController) => {
    const stack = newStack();
    const namespace = new CfnParameter(stack, 'Namespace', { type: 'String' }).valueAsString;
    new PlatformCluster(stack, 'Cluster', { nodegroups: [{ id: 'Default' }], fargateProfiles: [{ id: 'Maybe', selectors: [{ namespace }] }], addons: [lbc] });
    return stack;
  };

  test('uses IRSA, which works whether or not the selector takes its pods to Fargate', () => {
    const lbc = new AwsLoadBalancerController();
    const trust = Template.fromStack(withProfile(lbc)).toJSON().Resources[logicalId(installationOf(lbc).role)].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Action).toBe('sts:AssumeRoleWithWebIdentity');
  });

  test('accepts identityType POD_IDENTITY, leaving the selector to the user', () => {
    const lbc = new AwsLoadBalancerController({ identityType: eks.IdentityType.POD_IDENTITY });
    const trust = Template.fromStack(withProfile(lbc)).toJSON().Resources[logicalId(installationOf(lbc).role)].Properties.AssumeRolePolicyDocument.Statement[0];
    expect(trust.Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
  });
});

describe('AwsLoadBalancerController validation', () => {
  test('fails when the cluster has no kubectl handler', () => {
    expect(() => clusterWith({ addons: [new AwsLoadBalancerController()], kubectl: false })).toThrow(/kubectl: the aws-load-balancer-controller add-on installs a Helm chart/);
  });

  test('fails when chartVersion is not a chart version', () => {
    expect(() => new AwsLoadBalancerController({ chartVersion: 'v3.5.0' })).toThrow(/chartVersion: not a Helm chart version, got 'v3.5.0'/);
  });

  test('fails when ingressClassName is not a Kubernetes name', () => {
    expect(() => new AwsLoadBalancerController({ ingressClassName: 'My_ALB' })).toThrow(/ingressClassName: not a valid Kubernetes object name, got 'My_ALB'/);
  });

  test('fails when replicas is below 1', () => {
    expect(() => new AwsLoadBalancerController({ replicas: 0 })).toThrow(/replicas: must be a whole number of at least 1, got 0/);
  });
});
