import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { appliesTo, cfnProperties, referencedLogicalId, stackResource, PlatformRule } from './platform-rule';

/** EKS4: managed node groups launch from a template that requires IMDSv2. */
export const EKS4_NODE_IMDSV2: PlatformRule = {
  id: 'EKS4',
  statement: 'The EKS managed node group uses a launch template of the same stack whose `MetadataOptions.HttpTokens` is `required`; a node group without a launch template is non-compliant, one whose template is outside the stack is not judged.',
  info: 'The EKS node group does not require IMDSv2 on its instances.',
  explanation: 'With IMDSv1 a server-side request forgery in any pod can read the node role\'s credentials. Give the node group a launch template with httpTokens: required (PlatformCluster node groups have one). A hop limit of 1 also keeps pods off the node role (the PlatformCluster default; imdsHopLimit: 2, the EKS default, lets pods reach instance metadata).',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Nodegroup')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const launchTemplate = cfnProperties(node).LaunchTemplate;
    if (launchTemplate === undefined) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const templateId = referencedLogicalId(launchTemplate.Id) ?? referencedLogicalId(launchTemplate.Name);
    const template = templateId === undefined ? undefined : stackResource(node, 'AWS::EC2::LaunchTemplate', templateId);
    if (template === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return template.LaunchTemplateData?.MetadataOptions?.HttpTokens === 'required' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
