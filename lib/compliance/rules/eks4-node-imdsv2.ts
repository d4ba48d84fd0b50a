import { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { NagMessageLevel, NagRuleCompliance } from '../lazy-nag';
import { appliesTo, cfnProperties, referencedLogicalId, stackResource, PlatformRule } from './platform-rule';
import { judge, possibleAt, possibleReferences, toResult, Verdict, worst } from './possible-values';

/**
 * One hop keeps IMDS answers on the node: a pod behind the container network is a second hop, so it
 * cannot get a token and with it the node role's credentials.
 */
const MAX_HOP_LIMIT = 1;

/** EKS4: managed node groups launch from a template that requires IMDSv2 and keeps pods off it. */
export const EKS4_NODE_IMDSV2: PlatformRule = {
  id: 'EKS4',
  statement: 'The EKS managed node group uses a launch template of the same stack whose `MetadataOptions` set `HttpTokens: required` and `HttpPutResponseHopLimit: 1`, in every branch (an absent hop limit is non-compliant: AMIs registered for IMDSv2 and account defaults give 2); a node group without a launch template is non-compliant, one whose template is outside the stack is not judged.',
  info: 'The EKS node group does not require IMDSv2 on its instances, or lets pods reach instance metadata.',
  explanation: 'With IMDSv1 a server-side request forgery in any pod can read the node role\'s credentials; with a hop limit above 1 any pod can, with IMDSv2 too. Give the node group a launch template with httpTokens: required and httpPutResponseHopLimit: 1 (PlatformCluster node groups: imdsHopLimit: 1), and give pods their own credentials through Pod Identity.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => {
    if (!appliesTo(node, 'AWS::EKS::Nodegroup')) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return toResult(worst(...possibleAt(cfnProperties(node), 'LaunchTemplate', node).map((spec) => {
      if (spec === undefined) {
        return Verdict.NON_COMPLIANT;
      }
      return worst(...[...possibleReferences((spec as any)?.Id, node), ...possibleReferences((spec as any)?.Name, node)].filter((ref) => ref !== undefined).map((ref) => {
        const id = referencedLogicalId(ref);
        const template = id === undefined ? undefined : stackResource(node, 'AWS::EC2::LaunchTemplate', id);
        if (template === undefined) {
          return Verdict.UNKNOWN;
        }
        return worst(
          judge(possibleAt(template, 'LaunchTemplateData.MetadataOptions.HttpTokens', node), (t) => t === 'required'),
          judge(possibleAt(template, 'LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit', node), (hops) => hops !== undefined && Number(hops) <= MAX_HOP_LIMIT),
        );
      }));
    })));
  },
};
