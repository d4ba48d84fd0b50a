import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { SubnetExposure, subnetsExposure } from './subnet-exposure';

/** EKS5: managed node groups run in private subnets. */
export const EKS5_NODEGROUP_PRIVATE_SUBNETS: PlatformRule = {
  id: 'EKS5',
  statement: 'Every subnet of the EKS managed node group is an `AWS::EC2::Subnet` of the same stack that does not map public IPs on launch, is not tagged `aws-cdk:subnet-type=Public` and has no route to an internet gateway; subnets outside the stack (ids, imports) are not judged.',
  info: 'The EKS node group launches nodes into a public subnet.',
  explanation: 'Nodes in public subnets can be reached from the internet on every port their security groups open, and pods inherit that reach. Put node groups in private subnets (subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }) and load balancers in public ones.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Nodegroup')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return judge(subnetsExposure(node, cfnProperties(node).Subnets));
  },
};

function judge(exposure: SubnetExposure): NagRuleResult {
  if (exposure === SubnetExposure.UNKNOWN) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return exposure === SubnetExposure.PRIVATE ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
