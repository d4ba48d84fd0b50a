// The one version table of the library: every build it installs by default (EKS managed add-ons,
// the Helm chart of the load balancer controller, the kubectl layers), per Kubernetes minor, each
// with where and when it was seen. Module-private: code reads it through addon-support.ts and
// AddonVersion, users choose builds with AddonVersion.of().
//
// Rule: a build not seen offered for a minor is not a default. A minor without an entry makes
// AddonVersion.recommended() fall back to EKS's default build for the cluster's version, with a
// synth warning, because that build is always valid when the add-on is created.
//
// Refresh the managed add-on part from `aws eks describe-addon-versions --kubernetes-version 1.NN`
// output with `npm run addon-versions -- --seen <date> <output.json>...`; it rewrites only the
// block between the GENERATED markers below and keeps the rest of this file.

/** A build and the public record it was seen in. */
export interface SeenBuild {
  /** The version EKS, Helm or npm knows it by, e.g. `v1.23.1-eksbuild.1`. */
  readonly version: string;
  /** What the record showed (default or offered, for which Kubernetes version) and when. */
  readonly seen: string;
  /** Where the record is public. */
  readonly source: string;
}

/** A kubectl Lambda layer package and the version of it that was seen. */
export interface SeenKubectlLayer extends SeenBuild {
  /** The npm package that ships the layer. */
  readonly packageName: string;
}

/** Builds of one managed add-on, by Kubernetes minor (`'1.36'`). */
export type BuildsByMinor = Readonly<Record<string, SeenBuild>>;

/** EKS managed add-on builds, by add-on name and Kubernetes minor. */
export const MANAGED_ADDON_BUILDS: Readonly<Record<string, BuildsByMinor>> = {
  // BEGIN GENERATED: managed add-on builds (npm run addon-versions)
  'amazon-cloudwatch-observability': {
    '1.35': {
      version: 'v6.1.0-eksbuild.1',
      seen: 'describe-addon-versions --kubernetes-version 1.35, newest offered, public record 2026',
      source: 'aws eks describe-addon-versions output for 1.35 quoted in public repositories (2026)',
    },
    '1.36': {
      version: 'v6.6.0-eksbuild.1',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, public record 2026-09',
      source: 'public aws eks describe-addon-versions --kubernetes-version 1.36 output (2026-09)',
    },
  },
  'aws-ebs-csi-driver': {
    '1.34': {
      version: 'v1.48.0-eksbuild.2',
      seen: 'listed for Kubernetes 1.34 (not said default) in a public record, 2026-02-16',
      source: 'https://github.com/awslabs/cdk-eks-blueprints/pull/1224',
    },
    '1.35': {
      version: 'v1.60.1-eksbuild.1',
      seen: 'deployed on Kubernetes 1.35 clusters, public record 2026',
      source: 'public 1.35 cluster records (2026)',
    },
    '1.36': {
      version: 'v1.66.0-eksbuild.1',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, public record 2026-09',
      source: 'mitodl/ol-infrastructure PR 5959',
    },
  },
  'aws-efs-csi-driver': {
    '1.36': {
      version: 'v3.4.2-eksbuild.1',
      seen: 'describe-addon-versions --kubernetes-version 1.36, newest offered, public record 2026-09',
      source: 'mitodl/ol-infrastructure PR 5959',
    },
  },
  'coredns': {
    '1.33': {
      version: 'v1.13.2-eksbuild.11',
      seen: 'deployed on Kubernetes 1.33 clusters, public record 2026-07-06',
      source: 'https://github.com/ministryofjustice/cloud-platform-infrastructure/pull/4675',
    },
    '1.36': {
      version: 'v1.14.3-eksbuild.24',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, public record 2026-09',
      source: 'public aws eks describe-addon-versions --kubernetes-version 1.36 output (2026-09)',
    },
  },
  'eks-pod-identity-agent': {
    '1.34': {
      version: 'v1.3.8-eksbuild.2',
      seen: 'listed for Kubernetes 1.34 (not said default) in a public record, 2026-02-16',
      source: 'https://github.com/awslabs/cdk-eks-blueprints/pull/1224',
    },
    '1.36': {
      version: 'v1.4.0-eksbuild.2',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, public record 2026-09',
      source: 'public aws eks describe-addon-versions --kubernetes-version 1.36 output (2026-09)',
    },
  },
  'kube-proxy': {
    '1.33': {
      version: 'v1.33.10-eksbuild.13',
      seen: 'deployed on Kubernetes 1.33 clusters, public record 2026-07-07',
      source: 'https://github.com/ministryofjustice/cloud-platform-infrastructure/pull/4676',
    },
    '1.34': {
      version: 'v1.34.3-eksbuild.2',
      seen: 'listed for Kubernetes 1.34 (not said default) in a public record, 2026-02-16',
      source: 'https://github.com/awslabs/cdk-eks-blueprints/pull/1224',
    },
    '1.36': {
      version: 'v1.36.0-eksbuild.25',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, public record 2026-09',
      source: 'public aws eks describe-addon-versions --kubernetes-version 1.36 output (2026-09)',
    },
  },
  'metrics-server': {
    '1.35': {
      version: 'v0.8.1-eksbuild.10',
      seen: 'describe-addon-versions --kubernetes-version 1.35, default, public record 2026',
      source: 'aws eks describe-addon-versions output for 1.35 quoted in public repositories (2026)',
    },
    '1.36': {
      version: 'v0.9.0-eksbuild.11',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, public record 2026-09',
      source: 'public aws eks describe-addon-versions --kubernetes-version 1.36 output (2026-09)',
    },
  },
  'vpc-cni': {
    '1.33': {
      version: 'v1.22.3-eksbuild.1',
      seen: 'deployed on Kubernetes 1.33 clusters, public record 2026-07-08',
      source: 'https://github.com/ministryofjustice/cloud-platform-infrastructure/pull/4678',
    },
    '1.36': {
      version: 'v1.23.1-eksbuild.1',
      seen: 'describe-addon-versions --kubernetes-version 1.36, default, public record 2026-09',
      source: 'public aws eks describe-addon-versions --kubernetes-version 1.36 output (2026-09)',
    },
  },
  // END GENERATED: managed add-on builds
};

/**
 * Helm charts, by chart name. The load balancer controller's chart supports every Kubernetes minor
 * of this table, so it has one entry rather than one per minor. Not aws-eks-v2's AlbControllerVersion,
 * which stops at v3.2.2.
 */
export const HELM_CHARTS: Readonly<Record<string, SeenBuild>> = {
  'aws-load-balancer-controller': {
    version: '3.5.0',
    seen: 'newest chart release (controller v3.5.0), merged 2026-08-03',
    source: 'https://github.com/aws/eks-charts/pull/1354',
  },
  'cluster-autoscaler': {
    version: '9.59.0',
    seen: 'newest cluster-autoscaler chart in the repository index, created 2026-07-21 (appVersion 1.35.0; the image tag is set per Kubernetes minor from CLUSTER_AUTOSCALER_IMAGES)',
    source: 'https://kubernetes.github.io/autoscaler/index.yaml (gh-pages of kubernetes/autoscaler, generated 2026-07-26; tag cluster-autoscaler-chart-9.59.0)',
  },
  'vertical-pod-autoscaler': {
    version: '0.11.0',
    seen: 'newest vertical-pod-autoscaler chart (SIG Autoscaling\'s own, appVersion 1.7.1) in the repository index, created 2026-07-26',
    source: 'https://kubernetes.github.io/autoscaler/index.yaml (gh-pages of kubernetes/autoscaler, generated 2026-07-26; tag vertical-pod-autoscaler-chart-0.11.0)',
  },
  // oci://public.ecr.aws/karpenter/karpenter. v1.15.0 was released on 2026-10-10 (karpenter.sh/v1.15 docs,
  // "chore: Release v1.15.0 (#9719)") but its cloudformation.yaml (the controller's IAM) could not be read,
  // so the default stays at the newest release whose IAM was checked statement for statement.
  'karpenter': {
    version: '1.14.1',
    seen: 'tag v1.14.1 of aws/karpenter-provider-aws and its docs commit (charts/karpenter/Chart.yaml version 1.14.1), 2026-08-21; supports Kubernetes 1.26 to 1.36',
    source: 'https://github.com/aws/karpenter-provider-aws/releases/tag/v1.14.1 (pinned by zalando-incubator/kubernetes-on-aws PR 12117, 2026-08-26)',
  },
};

/**
 * Cluster Autoscaler images (registry.k8s.io/autoscaling/cluster-autoscaler), by Kubernetes minor: upstream
 * tests and supports only the autoscaler minor that matches the cluster's (EKS Best Practices Guide,
 * "Cluster Autoscaler"), so each minor has its own build; a minor without one has no default.
 */
export const CLUSTER_AUTOSCALER_IMAGES: Readonly<Record<string, SeenBuild>> = {
  '1.33': { version: 'v1.33.6', seen: 'newest 1.33 patch release, tagged 2026-07-22', source: 'https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-1.33.6' },
  '1.34': { version: 'v1.34.5', seen: 'newest 1.34 patch release, tagged 2026-07-22', source: 'https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-1.34.5' },
  '1.35': { version: 'v1.35.2', seen: 'newest 1.35 patch release, tagged 2026-07-22', source: 'https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-1.35.2' },
  '1.36': { version: 'v1.36.1', seen: 'newest 1.36 patch release, tagged 2026-07-22', source: 'https://github.com/kubernetes/autoscaler/releases/tag/cluster-autoscaler-1.36.1' },
};

/**
 * kubectl Lambda layers on npm, by Kubernetes minor (there is no v37 package). Each is an optional peer
 * dependency, loaded by lib/eks/kubectl-layer.ts only for a cluster on its minor.
 */
export const KUBECTL_LAYERS: Readonly<Record<string, SeenKubectlLayer>> = {
  '1.33': { packageName: '@aws-cdk/lambda-layer-kubectl-v33', version: '2.2.2', seen: 'latest on npm, 2026-11-30', source: 'npm view @aws-cdk/lambda-layer-kubectl-v33' },
  '1.34': { packageName: '@aws-cdk/lambda-layer-kubectl-v34', version: '2.2.2', seen: 'latest on npm, 2026-11-30', source: 'npm view @aws-cdk/lambda-layer-kubectl-v34' },
  '1.35': { packageName: '@aws-cdk/lambda-layer-kubectl-v35', version: '2.2.2', seen: 'latest on npm, 2026-11-30', source: 'npm view @aws-cdk/lambda-layer-kubectl-v35' },
  '1.36': { packageName: '@aws-cdk/lambda-layer-kubectl-v36', version: '2.0.1', seen: 'latest on npm, 2026-11-30', source: 'npm view @aws-cdk/lambda-layer-kubectl-v36' },
};

/** The build the table holds for an add-on on a Kubernetes minor, if one was seen offered there. */
export function tableBuild(addonName: string, minor: string): SeenBuild | undefined {
  const builds = Object.hasOwn(MANAGED_ADDON_BUILDS, addonName) ? MANAGED_ADDON_BUILDS[addonName] : undefined;
  return builds && Object.hasOwn(builds, minor) ? builds[minor] : undefined;
}
