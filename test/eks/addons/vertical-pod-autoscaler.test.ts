import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { MetricsServer } from '../../../lib/eks/addons/metrics-server';
import { VerticalPodAutoscaler, VerticalPodAutoscalerInstallation } from '../../../lib/eks/addons/vertical-pod-autoscaler';
import { PlatformCluster } from '../../../lib/eks/platform-cluster';
import { expectNoComplianceFindings, newStack } from '../../helpers';
import { clusterWith, Compute, customResourceId, dependsOn, helmValues, logicalId } from './addon-test-cluster';

/** A test cluster with metrics-server and a VPA installed on it. */
function vpaOn(compute: Compute, props: { updater?: boolean; admissionController?: boolean } = {}) {
  const { stack, cluster } = clusterWith({ compute });
  const metricsServer = new MetricsServer().install(cluster, cluster);
  const vpa = new VerticalPodAutoscaler({ metricsServer, ...props }).install(cluster, cluster);
  return { stack, cluster, metricsServer, vpa, template: Template.fromStack(stack) };
}

describe('VerticalPodAutoscaler by default', () => {
  const { cluster, metricsServer, vpa, template } = vpaOn(Compute.MIXED);
  const chartId = customResourceId(vpa.chart);

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

  test('keeps the construct path of the release (cluster/VerticalPodAutoscaler/Chart)', () => {
    expect(vpa).toBeInstanceOf(VerticalPodAutoscalerInstallation);
    expect(vpa.node.path).toBe('Test/Cluster/VerticalPodAutoscaler');
    expect(vpa.metricsServer).toBe(metricsServer);
  });

  test('runs the recommender only: the updater and the admission controller are off', () => {
    expect(helmValues(template, chartId)).toEqual({
      recommender: { enabled: true },
      updater: { enabled: false },
      admissionController: { enabled: false },
    });
  });

  test('starts after metrics-server, whose metrics API the recommender reads, and after the compute it runs on', () => {
    expect(dependsOn(template, chartId)).toEqual(expect.arrayContaining([logicalId(metricsServer.addon), logicalId(cluster.nodegroups[0]), logicalId(cluster.fargateProfiles[0])]));
  });

  test('does not wait for the managed add-ons: it registers no webhook', () => {
    expect(dependsOn(template, chartId)).not.toContain(logicalId(cluster.coreDns!.addon));
  });

  test('has no unacknowledged finding in the five packs', () => {
    expectNoComplianceFindings(vpa);
  });

  test('fails when installed twice on one cluster', () => {
    expect(() => new VerticalPodAutoscaler({ metricsServer }).install(new Construct(cluster, 'Second'), cluster))
      .toThrow(/'vertical-pod-autoscaler' is already installed/);
  });
});

describe('VerticalPodAutoscaler with the updater and the admission controller', () => {
  const { cluster, vpa, template } = vpaOn(Compute.MIXED, { updater: true, admissionController: true });

  test('does not wait for the managed add-ons: the webhook fails open (failurePolicy Ignore), so it refuses none of their pods', () => {
    expect(dependsOn(template, customResourceId(vpa.chart))).not.toContain(logicalId(cluster.coreDns!.addon));
  });

  test('enables both, with the chart generating the webhook\'s certificate', () => {
    expect(helmValues(template, customResourceId(vpa.chart))).toEqual({
      recommender: { enabled: true },
      updater: { enabled: true },
      admissionController: { enabled: true, certGen: { enabled: true } },
    });
  });
});

describe('VerticalPodAutoscaler in an add-ons stack', () => {
  test('installs beside metrics-server in a second stack, waiting for it', () => {
    const { stack, cluster } = clusterWith({ compute: Compute.NODES_ONLY });
    const addons = new Stack(stack.node.scope as App, 'Addons');
    const metricsServer = new MetricsServer().install(addons, cluster);
    const vpa = new VerticalPodAutoscaler({ metricsServer }).install(addons, cluster);
    const template = Template.fromStack(addons);
    expect(dependsOn(template, customResourceId(vpa.chart))).toContain(logicalId(metricsServer.addon));
    expect(cluster.installedAddonNames).toEqual(expect.arrayContaining(['metrics-server', 'vertical-pod-autoscaler']));
  });
});

describe('VerticalPodAutoscaler validation', () => {
  test('fails when its metrics-server is installed on another cluster', () => {
    const { cluster: one } = clusterWith();
    const { cluster: two } = clusterWith();
    const vpa = new VerticalPodAutoscaler({ metricsServer: new MetricsServer().install(one, one) });
    expect(() => vpa.install(two, two)).toThrow(/metricsServer: the vertical-pod-autoscaler add-on reads pod usage from metrics-server, got metrics-server installed on Test\/Cluster, not on Test\/Cluster/);
    expect(two.installedAddonNames).not.toContain('vertical-pod-autoscaler');
  });

  test('fails when given another managed add-on for metricsServer', () => {
    const { cluster } = clusterWith();
    expect(() => new VerticalPodAutoscaler({ metricsServer: cluster.vpcCni! })).toThrow(/metricsServer: .*got the vpc-cni add-on/);
  });

  test('runs on a Fargate-only cluster whose profile selects kube-system', () => {
    expect(() => vpaOn(Compute.FARGATE_ONLY)).not.toThrow();
  });

  test('fails at synth on a Fargate-only cluster without a profile for its pods', () => {
    const stack = newStack();
    const cluster = new PlatformCluster(stack, 'Cluster', {
      fargateProfiles: [{
        id: 'System',
        selectors: [
          { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
          { namespace: 'kube-system', labels: { 'app.kubernetes.io/name': 'metrics-server' } },
        ],
      }],
    });
    const metricsServer = new MetricsServer().install(cluster, cluster);
    new VerticalPodAutoscaler({ metricsServer }).install(cluster, cluster);
    expect(() => Template.fromStack(stack)).toThrow(/fargateProfiles: on a Fargate-only cluster the vertical-pod-autoscaler pods run on Fargate/);
  });

  test('fails when the cluster has no kubectl handler', () => {
    const { cluster } = clusterWith({ kubectl: false });
    const metricsServer = new MetricsServer().install(cluster, cluster);
    expect(() => new VerticalPodAutoscaler({ metricsServer }).install(cluster, cluster))
      .toThrow(/kubectl: the vertical-pod-autoscaler add-on installs a Helm chart/);
  });

  test('fails when chartVersion is not a chart version', () => {
    const { cluster } = clusterWith();
    const metricsServer = new MetricsServer().install(cluster, cluster);
    expect(() => new VerticalPodAutoscaler({ metricsServer, chartVersion: 'v0.11.0' })).toThrow(/chartVersion: not a Helm chart version, got 'v0.11.0'/);
  });
});
