import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, isIntrinsic, PlatformRule } from './platform-rule';

/** EKS1: the Kubernetes API is private, or public only to named CIDRs. */
export const EKS1_ENDPOINT_ACCESS: PlatformRule = {
  id: 'EKS1',
  statement: 'The EKS cluster sets `EndpointPublicAccess: false`, or lists `PublicAccessCidrs` without an open range (`/0`); absent values mean public to 0.0.0.0/0.',
  info: 'The EKS cluster API endpoint is open to the whole internet.',
  explanation: 'An open endpoint exposes the Kubernetes API to credential stuffing and to any future API-server vulnerability. Use endpointAccess: eks.EndpointAccess.PRIVATE, or PUBLIC_AND_PRIVATE.onlyFrom(\'203.0.113.0/24\').',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Cluster')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const vpcConfig = cfnProperties(node).ResourcesVpcConfig ?? {};
    const publicAccess = vpcConfig.EndpointPublicAccess;
    if (isIntrinsic(publicAccess)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (publicAccess === false || publicAccess === 'false') {
      return NagRuleCompliance.COMPLIANT;
    }
    const cidrs = vpcConfig.PublicAccessCidrs;
    if (cidrs === undefined) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    if (!Array.isArray(cidrs) || cidrs.some((c) => typeof c !== 'string')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return cidrs.length > 0 && !cidrs.some((c: string) => c.endsWith('/0')) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
