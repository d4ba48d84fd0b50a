// Module-private: the validations of PlatformCluster's props, endpoint, node group subnets and Fargate profiles. Not exported from lib/index.ts.
import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { validateLogRetention } from '../compliance/log-retention';
import { parseIpv4Cidr } from '../network/ipv4-cidr';
import { PlatformFargateProfileOptions } from './fargate-profile-options';
import type { PlatformClusterProps } from './platform-cluster-props';

/** EKS Fargate profile names: kept to 63 characters like node group names. */
const PROFILE_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;
/** EKS allows 1 to 5 selectors per Fargate profile, and up to 5 labels per selector. */
const MAX_SELECTORS = 5;
const MAX_SELECTOR_LABELS = 5;
/**
 * Kubernetes namespace names are RFC 1123 labels: up to 63 lower-case letters, digits and '-', starting and
 * ending alphanumeric. Fargate selectors also take the wildcards '*' and '?' (EKS User Guide, "Fargate profile").
 */
const SELECTOR_NAMESPACE = /^[a-z0-9*?](?:[-a-z0-9*?]{0,61}[a-z0-9*?])?$/;
/** Kubernetes label keys and values ("Labels and Selectors"), with the selector wildcards. */
const SELECTOR_LABEL_KEY = /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9*?](?:[-A-Za-z0-9_.*?]{0,61}[A-Za-z0-9*?])?$/;
const SELECTOR_LABEL_VALUE = /^(?:[A-Za-z0-9*?](?:[-A-Za-z0-9_.*?]{0,61}[A-Za-z0-9*?])?)?$/;

/** Fails on endpoint settings aws-eks-v2 would reject later with a less clear message; warns on an open endpoint. */
export function validateEndpointAccess(scope: Construct, access: eks.EndpointAccess, hasPrivateSubnets: boolean): void {
  const config = access._config;
  const cidrs = config.publicCidrs ?? [];
  for (const cidr of cidrs) {
    // IPv4 only: PlatformCluster creates IPv4 clusters, and EKS takes IPv6 blocks in publicAccessCidrs only on
    // IPv6 clusters (EKS API reference, VpcConfigRequest).
    if (!Token.isUnresolved(cidr) && parseIpv4Cidr(cidr) === undefined) {
      throw new Error(`endpointAccess: onlyFrom takes IPv4 CIDR blocks, got '${cidr}'; use the form '203.0.113.0/24'`);
    }
  }
  const restricted = cidrs.length > 0 && !cidrs.some((c) => !Token.isUnresolved(c) && c.endsWith('/0'));
  if (!hasPrivateSubnets && (!config.publicAccess || restricted)) {
    throw new Error(`endpointAccess: a ${config.publicAccess ? 'CIDR-restricted' : 'private'} endpoint needs private subnets for nodes and the kubectl handler to reach it, got a VPC without private or isolated subnets; use a VPC with private subnets or eks.EndpointAccess.PUBLIC`);
  }
  if (config.publicAccess && !restricted) {
    Annotations.of(scope).addWarningV2('cdk-container-platform:eksPublicEndpoint',
      'endpointAccess: the Kubernetes API is open to the whole internet, got a public endpoint without onlyFrom; use eks.EndpointAccess.PRIVATE or PUBLIC_AND_PRIVATE.onlyFrom(\'203.0.113.0/24\')');
  }
}


/** Fails on a Fargate profile EKS would reject; records its name in `usedNames`. */
export function validateFargateProfile(scope: Construct, id: string, options: PlatformFargateProfileOptions, usedNames: Set<string>): void {
  const name = options.fargateProfileName;
  if (name !== undefined && !Token.isUnresolved(name)) {
    if (!PROFILE_NAME.test(name)) {
      throw new Error(`fargateProfileName: not a valid Fargate profile name, got '${name}'; use 1 to 63 letters, digits, '-' and '_', starting with a letter or digit`);
    }
    if (usedNames.has(name)) {
      throw new Error(`fargateProfileName: '${name}' is already used by another Fargate profile of ${scope.node.path}, got it again for '${id}'; give each profile its own name`);
    }
    usedNames.add(name);
  }
  const selectors = options.selectors;
  if (selectors.length < 1 || selectors.length > MAX_SELECTORS) {
    throw new Error(`selectors: a Fargate profile takes 1 to ${MAX_SELECTORS} selectors, got ${selectors.length} on profile '${id}'; ${selectors.length === 0 ? 'select at least one namespace' : 'split the selectors over several profiles'}`);
  }
  for (const selector of selectors) {
    if (!Token.isUnresolved(selector.namespace) && selector.namespace.trim() === '') {
      throw new Error(`selectors: every selector needs a namespace, got '${selector.namespace}' on profile '${id}'; name the namespace whose pods run on Fargate`);
    }
    if (!Token.isUnresolved(selector.namespace) && !SELECTOR_NAMESPACE.test(selector.namespace)) {
      throw new Error(`selectors: not a Kubernetes namespace name on profile '${id}', got '${selector.namespace}'; use up to 63 lower-case letters, digits and '-', starting and ending with a letter or digit (the wildcards '*' and '?' are allowed)`);
    }
    const labels = Object.entries(selector.labels ?? {});
    if (labels.length > MAX_SELECTOR_LABELS) {
      throw new Error(`selectors: a Fargate selector takes up to ${MAX_SELECTOR_LABELS} labels, got ${labels.length} for namespace '${selector.namespace}' on profile '${id}'; select on fewer labels`);
    }
    for (const [key, value] of labels) {
      if (!Token.isUnresolved(key) && !SELECTOR_LABEL_KEY.test(key)) {
        throw new Error(`selectors: not a Kubernetes label key on profile '${id}', got '${key}'; use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);
      }
      if (!Token.isUnresolved(value) && !SELECTOR_LABEL_VALUE.test(value)) {
        throw new Error(`selectors: not a Kubernetes label value for '${key}' on profile '${id}', got '${value}'; use up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);
      }
    }
  }
}

/**
 * Props checks of PlatformCluster that aws-cdk-lib or CloudFormation would otherwise report without naming
 * the prop: retention CloudWatch refuses, ids given twice, a role given access twice.
 */
export function validateClusterProps(props: PlatformClusterProps): void {
  validateLogRetention('logRetention', props.logRetention);
  for (const [prop, specs] of [['nodegroups', props.nodegroups ?? []], ['fargateProfiles', props.fargateProfiles ?? []]] as Array<[string, Array<{ id: string }>]>) {
    const ids = new Set<string>();
    for (const spec of specs) {
      if (ids.has(spec.id)) {
        throw new Error(`${prop}: id '${spec.id}' is used twice, got it again; give each entry its own id (the id names the construct, and changing it replaces the resource)`);
      }
      ids.add(spec.id);
    }
  }
  // One access entry per role: EKS refuses a second entry for a principal, and aws-eks-v2 merges them into
  // one entry whose policy list then repeats, which CloudFormation rejects.
  const roles = new Map<string, string>();
  const claim = (arn: string, where: string) => {
    const before = roles.get(arn);
    if (before !== undefined) {
      throw new Error(`admins and namespaceAccess: a role may be given access once, got ${Token.isUnresolved(arn) ? 'the same role' : `'${arn}'`} in ${before} and in ${where}; give each role one entry, listing all its namespaces there, or make it an admin only`);
    }
    roles.set(arn, where);
  };
  (props.admins ?? []).forEach((role, i) => claim(role.roleArn, `admins[${i}]`));
  (props.namespaceAccess ?? []).forEach((access, i) => {
    claim(access.role.roleArn, `namespaceAccess[${i}]`);
    const literal = access.namespaces.filter((ns) => !Token.isUnresolved(ns));
    if (new Set(literal).size !== literal.length) {
      throw new Error(`namespaceAccess: namespaceAccess[${i}] lists a namespace twice, got ${access.namespaces.join(', ')}; list each namespace once`);
    }
  });
}

/** Fails on a construct id that addNodegroup or addFargateProfile already used (aws-cdk-lib's clash names no prop). */
export function validateUniqueChildId(scope: Construct, prop: string, childId: string, id: string): void {
  if (scope.node.tryFindChild(childId) !== undefined) {
    throw new Error(`${prop}: id '${id}' is already used on ${scope.node.path}, got it again; give each its own id`);
  }
}

/**
 * EKS refuses to create a managed node group in public subnets that do not assign public IPs on launch
 * (Ec2SubnetInvalidConfiguration; aws/containers-roadmap issues 607 and 2444): the nodes could not reach the
 * endpoint. PlatformVpc's public subnets assign none. Subnets imported without their settings are not checked.
 */
export function validateNodegroupSubnets(vpc: ec2.IVpc, selection: ec2.SubnetSelection, id: string): void {
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  for (const subnet of vpc.selectSubnets(selection).subnets) {
    const cfn = subnet.node.defaultChild;
    if (publicIds.has(subnet.subnetId) && cfn instanceof ec2.CfnSubnet && !Token.isUnresolved(cfn.mapPublicIpOnLaunch) && cfn.mapPublicIpOnLaunch !== true) {
      throw new Error(`subnets: EKS creates managed node groups in public subnets only when the subnets assign public IPs on launch, got public subnet ${subnet.node.path} without MapPublicIpOnLaunch for node group '${id}'; run nodes in private subnets (PlatformVpc's PUBLIC_AND_PRIVATE or PRIVATE_ONLY layout)`);
    }
  }
}
