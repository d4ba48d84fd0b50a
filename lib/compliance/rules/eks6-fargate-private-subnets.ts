import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, PlatformRule } from './platform-rule';
import { possibleValues } from './possible-values';
import { SubnetExposure, subnetsExposure } from './subnet-exposure';

/** EKS6: Fargate profiles run pods in private subnets. */
export const EKS6_FARGATE_PRIVATE_SUBNETS: PlatformRule = {
  id: 'EKS6',
  statement: 'The EKS Fargate profile lists its `Subnets` in every branch (an absent list is non-compliant), each an `AWS::EC2::Subnet` of the same stack that does not map public IPs, is not tagged `aws-cdk:subnet-type=Public` and has no route to an internet gateway; subnets outside the stack are not judged.',
  info: 'The EKS Fargate profile does not run pods in private subnets only.',
  explanation: 'Fargate pods get no public address, so EKS accepts only private subnets and fails the deployment otherwise; listing them in the profile lets synth catch it. aws-eks-v2 lists them only when the profile gets vpc: pass vpc and subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::FargateProfile')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const subnets = cfnProperties(node).Subnets;
    // Without a list (in any branch) the subnets are chosen outside the template, where nothing can check them.
    if (possibleValues(subnets, node).includes(undefined)) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const exposure = subnetsExposure(node, subnets);
    if (exposure === SubnetExposure.UNKNOWN) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return exposure === SubnetExposure.PRIVATE ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
