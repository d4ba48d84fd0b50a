import { Template } from 'aws-cdk-lib/assertions';
import { MetricsServer } from '../../../lib/eks/addons/metrics-server';
import { VerticalPodAutoscaler } from '../../../lib/eks/addons/vertical-pod-autoscaler';
import { PlatformCluster } from '../../../lib/eks/platform-cluster';
import { expectNoComplianceFindings, newStack } from '../../helpers';
import { clusterWith, Compute, customResourceId, dependsOn, helmValues, logicalId, synthWith } from './addon-test-cluster';

describe('VerticalPodAutoscaler by default', () => {
  const metricsServer = new MetricsServer();
  const vpa = new VerticalPodAutoscaler({ metricsServer });
  const { cluster, template } = synthWith({ addons: [metricsServer, vpa] });
  const chartId = customResourceId(vpa.chart!);

  test('installs SIG Autoscaling\'s chart vertical-pod-autoscaler 0.11.0 into kube-system, and waits for it', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'vertical-pod-autoscaler',
      Repository: 'https://kubernetes.github.io/autoscaler',
      Version: '0.11.0',
      Release: 'vertical-pod-autoscaler',
      Namespace: 'kube-system',
      Wait: true,
    });
  });

  test('runs the recommender only: the updater and the admission controller are off', () => {
    expect(helmValues(template, chartId)).toEqual({
      recommender: { enabled: true },
      updater: { enabled: false },
      admissionController: { enabled: false },
    });
  });

  test('starts after metrics-server, whose metrics API the recommender reads, and after the compute it runs on', () => {
    expect(dependsOn(template, chartId)).toEqual(expect.arrayContaining([logicalId(metricsServer.addon!), logicalId(cluster.nodegroups[0]), logicalId(cluster.fargateProfiles[0])]));
  });

  test('does not wait for the managed add-ons: it registers no webhook', () => {
    expect(dependsOn(template, chartId)).not.toContain(logicalId(cluster.coreDns!));
  });

  test('has no unacknowledged finding in the five packs', () => {
    expectNoComplianceFindings(cluster.node.findChild('VerticalPodAutoscaler'));
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => cluster.addAddon(new VerticalPodAutoscaler({ metricsServer }))).toThrow(/'vertical-pod-autoscaler' is already installed/);
  });
});

describe('VerticalPodAutoscaler with the updater and the admission controller', () => {
  const metricsServer = new MetricsServer();
  const vpa = new VerticalPodAutoscaler({ metricsServer, updater: true, admissionController: true });
  const { cluster, template } = synthWith({ addons: [metricsServer, vpa] });

  test('does not wait for the managed add-ons: the webhook fails open (failurePolicy Ignore), so it refuses none of their pods', () => {
    expect(dependsOn(template, customResourceId(vpa.chart!))).not.toContain(logicalId(cluster.coreDns!));
  });

  test('enables both, with the chart generating the webhook\'s certificate', () => {
    expect(helmValues(template, customResourceId(vpa.chart!))).toEqual({
      recommender: { enabled: true },
      updater: { enabled: true },
      admissionController: { enabled: true, certGen: { enabled: true } },
    });
  });
});

describe('VerticalPodAutoscaler validation', () => {
  test('fails when its MetricsServer is not installed on the cluster', () => {
    expect(() => clusterWith({ addons: [new VerticalPodAutoscaler({ metricsServer: new MetricsServer() })] }))
      .toThrow(/metricsServer: the vertical-pod-autoscaler add-on reads pod usage from metrics-server, got a MetricsServer that is not installed on Test\/Cluster/);
  });

  test('fails when its MetricsServer is installed after it', () => {
    const metricsServer = new MetricsServer();
    expect(() => clusterWith({ addons: [new VerticalPodAutoscaler({ metricsServer }), metricsServer] })).toThrow(/metricsServer: .*install it on this cluster first/);
  });

  test('fails when its MetricsServer is installed on another cluster', () => {
    const metricsServer = new MetricsServer();
    clusterWith({ addons: [metricsServer] });
    expect(() => clusterWith({ addons: [new VerticalPodAutoscaler({ metricsServer })] })).toThrow(/not installed on Test\/Cluster/);
  });

  test('runs on a Fargate-only cluster whose profile selects kube-system', () => {
    const metricsServer = new MetricsServer();
    const { stack } = clusterWith({ addons: [metricsServer, new VerticalPodAutoscaler({ metricsServer })], compute: Compute.FARGATE_ONLY });
    expect(() => Template.fromStack(stack)).not.toThrow();
  });

  test('fails at synth on a Fargate-only cluster without a profile for its pods', () => {
    const stack = newStack();
    const metricsServer = new MetricsServer();
    new PlatformCluster(stack, 'Cluster', {
      fargateProfiles: [{
        id: 'System',
        selectors: [
          { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
          { namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'metrics-server' } },
        ],
      }],
      addons: [metricsServer, new VerticalPodAutoscaler({ metricsServer })],
    });
    expect(() => Template.fromStack(stack)).toThrow(/fargateProfiles: on a Fargate-only cluster the vertical-pod-autoscaler pods run on Fargate/);
  });

  test('fails when the cluster has no kubectl handler', () => {
    const metricsServer = new MetricsServer();
    expect(() => clusterWith({ addons: [metricsServer, new VerticalPodAutoscaler({ metricsServer })], kubectl: false }))
      .toThrow(/kubectl: the vertical-pod-autoscaler add-on installs a Helm chart/);
  });

  test('fails when chartVersion is not a chart version', () => {
    expect(() => new VerticalPodAutoscaler({ metricsServer: new MetricsServer(), chartVersion: 'v0.11.0' })).toThrow(/chartVersion: not a Helm chart version, got 'v0.11.0'/);
  });
});
