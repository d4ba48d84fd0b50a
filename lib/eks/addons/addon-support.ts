// Module-private helpers shared by the add-ons of this folder. Not exported from lib/index.ts:
// jsii only publishes what the entry point reaches, and these are implementation details.
import { Annotations, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { kubernetesMinorOf } from '../kubernetes-support';
import type { IPlatformCluster } from '../platform-cluster-ref';
import { AddonVersion } from './addon-version';
import { MANAGED_ADDON_BUILDS, tableBuild } from './addon-versions';

/** Kubernetes object names are DNS subdomains (RFC 1123). */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Fails on a Kubernetes object name the API server would reject. */
export function validateKubernetesName(prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (name.length > 253 || !K8S_NAME.test(name)) {
    throw new Error(`${prop}: not a valid Kubernetes object name, got '${name}'; use at most 253 lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
}

/** Fails on a controller's replica count that is not a whole number of at least 1; `advice` says what to use. */
export function validateReplicas(replicas: number | undefined, advice: string): void {
  if (replicas !== undefined && !Token.isUnresolved(replicas) && (!Number.isInteger(replicas) || replicas < 1)) {
    throw new Error(`replicas: must be a whole number of at least 1, got ${replicas}; ${advice}`);
  }
}

/** The EKS service principal that Pod Identity roles trust. */
const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/** `1.36` for Kubernetes 1.36, whatever patch or suffix the version object carries. */
export function kubernetesMinor(cluster: IPlatformCluster): string {
  return kubernetesMinorOf(cluster.version) ?? cluster.version.version;
}

/** The build an add-on renders, and what to say at synth about it. */
export interface ResolvedAddonVersion {
  /** The `AddonVersion` to render; undefined renders none, so EKS installs its default build for the cluster's version. */
  readonly version?: string;
  /** Attaches the synth warning (if any) that explains the choice to the add-on's construct. */
  readonly annotate: (scope: IConstruct) => void;
}

/**
 * What `choice` renders for `addonName` on the cluster: a given build as is; the version table's build
 * for the cluster's Kubernetes minor; or, for `eksDefault()` and for a minor the table has no build
 * for, no version (EKS's default build for the cluster's version, which cannot fail at create), with
 * a warning. Pure until `annotate`, so an add-on can resolve before it creates its construct.
 */
export function resolveAddonVersion(addonName: string, cluster: IPlatformCluster, choice: AddonVersion = AddonVersion.recommended()): ResolvedAddonVersion {
  const unresolved = Token.isUnresolved(cluster.version.version);
  const minor = unresolved ? '<the cluster\'s version>' : kubernetesMinor(cluster);
  const warn = (id: string, message: string): ResolvedAddonVersion => ({
    version: undefined,
    annotate: (scope) => Annotations.of(scope).addWarningV2(`cdk-container-platform:${id}`, message),
  });
  if (choice._isEksDefault) {
    return warn('addon-version-eks-default', `version: AddonVersion.eksDefault() renders no ${addonName} version, so EKS installs its default build for Kubernetes ${minor} at create; a later upgrade of the cluster's version does not move the add-on. Update version with the cluster, or use AddonVersion.recommended()`);
  }
  if (!choice._isRecommended) {
    return { version: choice._given, annotate: () => undefined };
  }
  const build = unresolved ? undefined : tableBuild(addonName, minor);
  if (build) {
    return { version: build.version, annotate: () => undefined };
  }
  const known = Object.keys(MANAGED_ADDON_BUILDS[addonName] ?? {}).join(', ') || 'none';
  return warn('addon-version-not-in-table', `version: this library's version table has no ${addonName} build seen for Kubernetes ${minor} (it has: ${known}), so no version is rendered and EKS installs its default build for the cluster's version. To pin one, list the builds with 'aws eks describe-addon-versions --addon-name ${addonName} --kubernetes-version ${unresolved ? '1.NN' : minor}' and pass version: AddonVersion.of('<build>')`);
}

/** Fails when an add-on that applies Kubernetes manifests or Helm charts meets a cluster without the kubectl handler. */
export function requireKubectl(cluster: IPlatformCluster, addonName: string, why: string): void {
  if (!cluster.kubectlEnabled) {
    throw new Error(`kubectl: the ${addonName} add-on ${why} and needs the cluster's kubectl handler, got kubectl: false on ${cluster.node.path}; leave kubectl enabled on the cluster or do not install ${addonName}`);
  }
}

/**
 * On a Fargate-only cluster, checks at synth (when every profile exists) that a profile selects the
 * add-on's pods; otherwise they stay Pending and the install never finishes.
 */
export function requireFargateSelection(scope: Construct, cluster: IPlatformCluster, addonName: string, namespace: string, podLabels: Record<string, string>): void {
  scope.node.addValidation({
    validate: () => {
      if (!cluster.fargateOnly || cluster.fargateSelects(namespace, podLabels)) {
        return [];
      }
      const [key, value] = Object.entries(podLabels)[0];
      return [`fargateProfiles: on a Fargate-only cluster the ${addonName} pods run on Fargate, got no profile of ${cluster.node.path} selecting them in namespace ${namespace}; add a profile with selectors [{ namespace: '${namespace}', labels: { '${key}': '${value}' } }]`];
    },
  });
}

/** A role that EKS Pod Identity lets pods assume: trust `pods.eks.amazonaws.com` with AssumeRole and TagSession. */
export function podIdentityRole(scope: Construct, id: string, description: string, managedPolicies: iam.IManagedPolicy[] = []): iam.Role {
  const role = new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL),
    managedPolicies,
  });
  // Pod Identity tags the session with the cluster, namespace and service account.
  role.assumeRolePolicy?.addStatements(new iam.PolicyStatement({
    actions: ['sts:TagSession'],
    principals: [new iam.ServicePrincipal(POD_IDENTITY_PRINCIPAL)],
  }));
  return role;
}

/** The ARN of an AWS managed policy under `service-role/`, partition-aware. */
export function awsManagedServiceRolePolicy(name: string): iam.IManagedPolicy {
  return iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${name}`);
}

/** How a managed add-on is created relative to compute (see ComputeOrder). */
export interface ManagedAddonSpec {
  readonly addonName: string;
  readonly version?: AddonVersion;
  /** Rendered at synth, so values may depend on compute added later. */
  readonly configuration: () => { [key: string]: any } | undefined;
  readonly beforeCompute: boolean;
}

/**
 * An EKS managed add-on resource: OVERWRITE makes EKS restore the add-on's managed fields when someone
 * edited them with kubectl and take over a self-managed install; the build comes from the version table;
 * it is ordered before or after compute and recorded for `waitForManagedAddons`.
 */
export function createManagedAddon(scope: Construct, id: string, cluster: IPlatformCluster, spec: ManagedAddonSpec): eks.CfnAddon {
  const version = resolveAddonVersion(spec.addonName, cluster, spec.version);
  const addon = new eks.CfnAddon(scope, id, {
    addonName: spec.addonName,
    addonVersion: version.version,
    clusterName: cluster.eksCluster.clusterName,
    resolveConflicts: 'OVERWRITE',
    configurationValues: Lazy.string({
      produce: () => {
        const values = spec.configuration();
        // toJsonString, not JSON.stringify: values may hold tokens (the stack's region).
        return values === undefined || Object.keys(values).length === 0 ? undefined : Stack.of(scope).toJsonString(values);
      },
    }),
  });
  // On the add-on's own construct: the installation when the resource is its default child.
  version.annotate(id === 'Resource' ? scope : addon);
  if (spec.beforeCompute) {
    cluster.addNodePrerequisite(addon);
  } else {
    // Pods need somewhere to run for the add-on to become ACTIVE; on delete it goes before the compute.
    cluster.waitForCompute(addon);
  }
  cluster.registerManagedAddon(addon);
  return addon;
}

/**
 * Associates a role with a service account of a managed add-on through Pod Identity. The add-on depends on
 * the role, so its pods never start without the role's policies, including those attached later. No
 * dependency on the agent: an association is an EKS API object, and the pods run on nodes, which wait for it.
 */
export function bindPodIdentity(cluster: IPlatformCluster, addon: eks.CfnAddon, serviceAccount: string, role: iam.IRole): void {
  if (!cluster.podIdentityAgentInstalled) {
    throw new Error(`cluster: the ${addon.addonName} add-on binds its role through EKS Pod Identity, got ${cluster.node.path} without the Pod Identity agent; install eks-pod-identity-agent on the cluster (podIdentityAgent: true for an imported cluster that has it)`);
  }
  const current = (addon.podIdentityAssociations as eks.CfnAddon.PodIdentityAssociationProperty[] | undefined) ?? [];
  addon.podIdentityAssociations = [...current, { serviceAccount, roleArn: role.roleArn }];
  addon.node.addDependency(role);
}
