import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { MetricsServer } from '../../../lib/eks/addons/metrics-server';
import { PlatformCluster } from '../../../lib/eks/platform-cluster';
import { expectNoComplianceFindings, newStack } from '../../helpers';
import { clusterWith, Compute, dependsOn, logicalId, synthWith, installationOf } from './addon-test-cluster';
import { AddonVersion } from '../../../lib/eks/addons/addon-version';

describe('MetricsServer', () => {
  const metrics = new MetricsServer();
  const { cluster, template } = synthWith({ addons: [metrics] });

  test('installs the metrics-server community add-on at the version pinned for Kubernetes 1.36, with no IAM', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'metrics-server', AddonVersion: 'v0.9.0-eksbuild.11' });
    expect(template.toJSON().Resources[logicalId(installationOf(metrics).addon)].Properties.PodIdentityAssociations).toBeUndefined();
  });

  test('waits for the cluster\'s compute, so its pods can be scheduled', () => {
    expect(dependsOn(template, logicalId(installationOf(metrics).addon))).toEqual(expect.arrayContaining([logicalId(cluster.nodegroups[0]), logicalId(cluster.fargateProfiles[0])]));
  });

  test('needs no kubectl handler and runs on a Fargate-only cluster', () => {
    const other = new MetricsServer();
    clusterWith({ addons: [other], kubectl: false, compute: Compute.FARGATE_ONLY });
    expect(installationOf(other).addon).toBeDefined();
  });

  test('has no unacknowledged finding in the four packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('MetricsServer'));
  });

  test('fails when version is not an EKS add-on version', () => {
    expect(() => new MetricsServer({ version: AddonVersion.of('v0.8.1-eksbuild') })).toThrow(/version: not an EKS add-on version, got 'v0.8.1-eksbuild'/);
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => cluster.addAddon(new MetricsServer())).toThrow(/'metrics-server' is already installed/);
  });

  test('renders no version and warns on a Kubernetes version the version table has no build for', () => {
    const stack = newStack();
    const other = new MetricsServer();
    new PlatformCluster(stack, 'Old', { version: eks.KubernetesVersion.of('1.34'), kubectl: false, nodegroups: [{ id: 'Default' }], addons: [other] });
    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources[logicalId(installationOf(other).addon)].Properties.AddonVersion).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('/Test/Old/MetricsServer/Addon', Match.stringLikeRegexp("no metrics-server build seen for Kubernetes 1.34 \\(it has: 1.35, 1.36\\).*'aws eks describe-addon-versions --addon-name metrics-server --kubernetes-version 1.34'"));
  });

  test('fails at synth when no Fargate profile of a Fargate-only cluster selects its pods', () => {
    const stack = newStack();
    new PlatformCluster(stack, 'Cluster', {
      fargateProfiles: [{ id: 'CoreDns', selectors: [{ namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }] }],
      addons: [new MetricsServer()],
    });
    expect(() => Template.fromStack(stack)).toThrow(/fargateProfiles: on a Fargate-only cluster the metrics-server pods run on Fargate, got no profile of Test\/Cluster selecting them in namespace kube-system/);
  });
});
