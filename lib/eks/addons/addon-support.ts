// Module-private helpers shared by the add-ons of this folder. Not exported from lib/index.ts:
// jsii only publishes what the entry point reaches, and these are implementation details.
import { Annotations, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import type { PlatformCluster } from '../platform-cluster';
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

/** The EKS service principal that Pod Identity roles trust. */
const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

/** `1.36` for Kubernetes 1.36, whatever patch or suffix the version object carries. */
export function kubernetesMinor(cluster: PlatformCluster): string {
  const match = /^(\d+\.\d+)/.exec(cluster.version.version);
  return match ? match[1] : cluster.version.version;
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
export function resolveAddonVersion(addonName: string, cluster: PlatformCluster, choice: AddonVersion = AddonVersion.recommended()): ResolvedAddonVersion {
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
export function requireKubectl(cluster: PlatformCluster, addonName: string, why: string): void {
  if (!cluster.kubectlEnabled) {
    throw new Error(`kubectl: the ${addonName} add-on ${why} and needs the cluster's kubectl handler, got kubectl: false on ${cluster.node.path}; leave kubectl enabled on the cluster or do not install ${addonName}`);
  }
}

/** Guards against installing one add-on object on two clusters (the cluster itself rejects duplicate names). */
export function assertNotInstalled(installedOn: IConstruct | undefined, addonName: string): void {
  if (installedOn) {
    throw new Error(`install: this ${addonName} add-on object is already installed on ${installedOn.node.path}, got a second install; create one add-on object per cluster`);
  }
}

/**
 * Whether a Fargate profile of the cluster selects pods in `namespace` carrying `podLabels`: a selector
 * matches when its namespace matches the pods' and each of its labels is one of the pods' labels, where
 * '*' and '?' are wildcards (EKS User Guide, "Fargate profile"). A selector with a namespace or label
 * unknown at synth (a token, e.g. a CfnParameter value) counts as `whenUnknown`.
 */
export function fargateSelects(cluster: PlatformCluster, namespace: string, podLabels: Record<string, string>, whenUnknown = true): boolean {
  return cluster.fargateProfiles.some((profile) => {
    const cfn = profile.node.defaultChild as eks.CfnFargateProfile;
    const selectors = (cfn.selectors as eks.CfnFargateProfile.SelectorProperty[] | undefined) ?? [];
    return selectors.some((s) => {
      const labels = (s.labels as eks.CfnFargateProfile.LabelProperty[] | undefined) ?? [];
      if ([s.namespace, ...labels.flatMap((l) => [l.key, l.value])].some((v) => Token.isUnresolved(v))) {
        return whenUnknown;
      }
      if (!globMatches(s.namespace, namespace)) {
        return false;
      }
      return labels.every((l) => Object.entries(podLabels).some(([key, value]) => globMatches(l.key, key) && globMatches(l.value, value)));
    });
  });
}

/** Whether a Fargate selector pattern, with the wildcards '*' (any characters) and '?' (one character), matches a value. */
function globMatches(pattern: string, value: string): boolean {
  const regex = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/-]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`).test(value);
}

/**
 * On a Fargate-only cluster, checks at synth (when every profile exists) that a profile selects the
 * add-on's pods; otherwise they stay Pending and the install never finishes.
 */
export function requireFargateSelection(scope: Construct, cluster: PlatformCluster, addonName: string, namespace: string, podLabels: Record<string, string>): void {
  scope.node.addValidation({
    validate: () => {
      if (!cluster.fargateOnly || fargateSelects(cluster, namespace, podLabels)) {
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

/**
 * A core add-on (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent) as an `eks.Addon` under the cluster,
 * the type PlatformCluster exposes and aws-eks-v2's own Pod Identity agent slot takes; the other add-ons use
 * `managedAddon` below. Configuration values are rendered lazily, so that a value depending on the
 * cluster's final compute (CoreDNS on Fargate) sees node groups added later.
 * `OVERWRITE` makes EKS restore the add-on's managed fields when someone edited them with kubectl.
 * The add-on is registered with the cluster, so that constructs waiting for every managed add-on
 * (`PlatformCluster.waitForManagedAddons`) wait for it.
 */
export function createManagedAddon(cluster: PlatformCluster, id: string, addonName: string, version: string | undefined, configuration: () => { [key: string]: any } | undefined): eks.Addon {
  const addon = new eks.Addon(cluster, id, { cluster: cluster.cluster, addonName, addonVersion: version });
  const resource = addon.node.defaultChild as eks.CfnAddon;
  resource.resolveConflicts = 'OVERWRITE';
  resource.configurationValues = Lazy.string({
    produce: () => {
      const values = configuration();
      return values === undefined || Object.keys(values).length === 0 ? undefined : Stack.of(cluster).toJsonString(values);
    },
  });
  cluster.registerManagedAddon(addon);
  return addon;
}

/**
 * An EKS managed add-on with its Pod Identity associations, waiting for compute, and registered with the
 * cluster for `PlatformCluster.waitForManagedAddons`.
 *
 * No direct dependency on the Pod Identity agent: an association is an EKS API object that needs no
 * agent to be created, and the pods that use it run on node groups, which wait for the agent
 * (`addNodePrerequisite`) while this add-on waits for them.
 */
export function managedAddon(scope: Construct, id: string, cluster: PlatformCluster, props: {
  addonName: string;
  addonVersion: string | undefined;
  associations?: Array<{ serviceAccount: string; role: iam.IRole }>;
  configurationValues?: Record<string, unknown>;
}): eks.CfnAddon {
  const addon = new eks.CfnAddon(scope, id, {
    addonName: props.addonName,
    addonVersion: props.addonVersion,
    clusterName: cluster.cluster.clusterName,
    // OVERWRITE takes over fields a previous self-managed install left behind, so a retry converges.
    resolveConflicts: 'OVERWRITE',
    podIdentityAssociations: props.associations?.map((a) => ({ serviceAccount: a.serviceAccount, roleArn: a.role.roleArn })),
    // toJsonString, not JSON.stringify: values may hold tokens (the stack's region).
    configurationValues: props.configurationValues ? Stack.of(scope).toJsonString(props.configurationValues) : undefined,
  });
  // The role ARN reference orders the role itself; the construct dependency also covers policies attached
  // to it afterwards (a DefaultPolicy), so the pods never start without their permissions.
  for (const a of props.associations ?? []) {
    addon.node.addDependency(a.role);
  }
  // Pods need somewhere to run for the add-on to become ACTIVE; on delete it goes before the nodes.
  cluster.waitForCompute(addon);
  cluster.registerManagedAddon(addon);
  return addon;
}

/** The ARN of an AWS managed policy under `service-role/`, partition-aware. */
export function awsManagedServiceRolePolicy(name: string): iam.IManagedPolicy {
  return iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${name}`);
}
