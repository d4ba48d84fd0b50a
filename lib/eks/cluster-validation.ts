// Module-private: the validations of PlatformCluster's endpoint and Fargate profiles. Not exported from lib/index.ts.
import { Annotations, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { PlatformFargateProfileOptions } from './fargate-profile-options';

/** EKS Fargate profile names: kept to 63 characters like node group names. */
const PROFILE_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$/;
/** EKS allows 1 to 5 selectors per Fargate profile, and up to 5 labels per selector. */
const MAX_SELECTORS = 5;
const MAX_SELECTOR_LABELS = 5;

/** Fails on endpoint settings aws-eks-v2 would reject later with a less clear message; warns on an open endpoint. */
export function validateEndpointAccess(scope: Construct, access: eks.EndpointAccess, hasPrivateSubnets: boolean): void {
  const config = access._config;
  const cidrs = config.publicCidrs ?? [];
  for (const cidr of cidrs) {
    if (!Token.isUnresolved(cidr) && !/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(cidr)) {
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
    const labels = Object.keys(selector.labels ?? {}).length;
    if (labels > MAX_SELECTOR_LABELS) {
      throw new Error(`selectors: a Fargate selector takes up to ${MAX_SELECTOR_LABELS} labels, got ${labels} for namespace '${selector.namespace}' on profile '${id}'; select on fewer labels`);
    }
  }
}
