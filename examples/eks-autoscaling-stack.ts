import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import {
  ClusterAutoscaler, ClusterAutoscalerInstallation, ManagedAddonInstallation, MetricsServer, PlatformCluster, VerticalPodAutoscaler,
  VerticalPodAutoscalerInstallation,
} from '../lib';

/** The namespace of the example workload. */
const NAMESPACE = 'web';
const APP = 'web';
const LABELS = { 'app.kubernetes.io/name': APP };

/**
 * Autoscaling at both levels: the Horizontal Pod Autoscaler adds pods of a Deployment when their CPU use
 * passes 60% of their requests (metrics-server reports it), and the Cluster Autoscaler adds nodes to the
 * managed node group (2 to 6 nodes) when pods cannot be scheduled, and removes under-used ones. The
 * Vertical Pod Autoscaler's recommender suggests requests for workloads given a VerticalPodAutoscaler
 * object (recommendations only: the updater and admission controller are off).
 */
export class EksAutoscalingStack extends Stack {
  public readonly platform: PlatformCluster;
  public readonly clusterAutoscaler: ClusterAutoscalerInstallation;
  public readonly metricsServer: ManagedAddonInstallation;
  public readonly verticalPodAutoscaler: VerticalPodAutoscalerInstallation;
  /** The namespace, Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget of the workload. */
  public readonly workload: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.platform = new PlatformCluster(this, 'Cluster', {
      nodegroups: [{
        id: 'General',
        instanceTypes: [ec2.InstanceType.of(ec2.InstanceClass.M7I, ec2.InstanceSize.LARGE)],
        minSize: 2,
        maxSize: 6,
        // Given explicitly, so that it does not follow minSize: EKS resets the group to desiredSize whenever the
        // scaling config changes, undoing the autoscaler's work (see the README's Cluster Autoscaler section).
        desiredSize: 2,
      }],
    });
    // Installed directly for the typed installations; the VPA takes the metrics-server of this cluster.
    this.clusterAutoscaler = new ClusterAutoscaler().install(this.platform, this.platform);
    this.metricsServer = new MetricsServer().install(this.platform, this.platform);
    this.verticalPodAutoscaler = new VerticalPodAutoscaler({ metricsServer: this.metricsServer }).install(this.platform, this.platform);

    this.workload = new eks.KubernetesManifest(this, 'Workload', {
      cluster: this.platform.cluster,
      manifest: workloadObjects(),
    });
    // Its pods are evicted while the nodes still run, so the PodDisruptionBudget holds during the delete.
    this.platform.waitForCompute(this.workload);

    new CfnOutput(this, 'ClusterName', { value: this.platform.cluster.clusterName });
  }
}

/** A web Deployment with requests (the HPA's utilization is relative to them), its Service, HPA and PDB. */
function workloadObjects(): Record<string, any>[] {
  const metadata = { name: APP, namespace: NAMESPACE, labels: LABELS };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        // No replicas: the HPA owns the count, and a value here would reset it on every apply.
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            // Spread over zones, so the Cluster Autoscaler's balanced node groups serve them evenly.
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: LABELS } }],
            containers: [{
              name: APP,
              image: 'public.ecr.aws/nginx/nginx:1.27',
              ports: [{ containerPort: 80, name: 'http' }],
              resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
              securityContext: { allowPrivilegeEscalation: false },
            }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: { selector: LABELS, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: APP },
        minReplicas: 2,
        maxReplicas: 20,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
        // Scale in slowly: five minutes of lower use before pods are removed.
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata,
      // The Cluster Autoscaler drains a node only when every pod on it may be evicted within its budget.
      spec: { minAvailable: 1, selector: { matchLabels: LABELS } },
    },
  ];
}
