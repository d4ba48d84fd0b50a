// Module-private: which node autoscaler a cluster runs, and the synth warning for node groups nothing scales.
// Not exported from lib/index.ts. Reads the names of the cluster's add-ons (IPlatformCluster.installedAddonNames, which
// covers add-ons installed in other stacks) and the node groups the cluster knows, in any stack.
import { Annotations, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { IConstruct } from 'constructs';

/** The add-on name of the Cluster Autoscaler (lib/eks/addons/cluster-autoscaler.ts). */
export const CLUSTER_AUTOSCALER_ADDON = 'cluster-autoscaler';
/** The add-on name of Karpenter (lib/eks/addons/karpenter.ts). */
export const KARPENTER_ADDON = 'karpenter';

/** What the check reads from a cluster. */
export interface NodeAutoscalingScope extends IConstruct {
  readonly installedAddonNames: string[];
}

/** The sizes a node group renders, or undefined where one is a token. */
function sizes(nodegroup: IConstruct): { min: number; max: number; desired: number } | undefined {
  const scaling = (nodegroup.node.defaultChild as eks.CfnNodegroup | undefined)?.scalingConfig as eks.CfnNodegroup.ScalingConfigProperty | undefined;
  const [min, max, desired] = [scaling?.minSize, scaling?.maxSize, scaling?.desiredSize];
  if (min === undefined || max === undefined || desired === undefined || [min, max, desired].some((n) => Token.isUnresolved(n))) {
    return undefined;
  }
  return { min, max, desired };
}

/**
 * At synth, warns on each managed node group whose maxSize exceeds its minSize while nothing scales it:
 * EKS never changes a node group's desired size by itself, so without the Cluster Autoscaler the group
 * keeps the size it was created with. Karpenter adds nodes of its own and leaves managed node groups alone.
 * A group with minSize equal to maxSize says it is fixed and gets no warning.
 * @param cluster the cluster, read at synth when every add-on is installed
 * @param nodegroups every node group of the cluster, in its stack and others (PlatformNodegroup)
 */
export function warnOnUnscaledNodegroups(cluster: NodeAutoscalingScope, nodegroups: readonly IConstruct[]): void {
  const names = new Set(cluster.installedAddonNames);
  if (names.has(CLUSTER_AUTOSCALER_ADDON)) {
    return;
  }
  const karpenter = names.has(KARPENTER_ADDON);
  for (const nodegroup of nodegroups) {
    const s = sizes(nodegroup);
    if (s === undefined || s.max <= s.min) {
      continue;
    }
    // PlatformCluster.addNodegroup(id) names the construct `Nodegroup<id>`, PlatformNodegroup(scope, id) names it
    // `Nodegroup` under the id; messages use the id the user gave.
    const id = nodegroup.node.id === 'Nodegroup' && nodegroup.node.scope ? nodegroup.node.scope.node.id : nodegroup.node.id.replace(/^Nodegroup/, '');
    const why = karpenter
      ? 'Karpenter adds nodes of its own and does not scale managed node groups'
      : 'the cluster has no node autoscaler (no ClusterAutoscaler or Karpenter add-on)';
    Annotations.of(nodegroup).addWarningV2('cdk-container-platform:eksNodegroupFixedSize',
      `maxSize: node group '${id}' may grow to ${s.max} nodes but nothing scales it, got minSize ${s.min} and maxSize ${s.max}, and ${why}; it stays at desiredSize ${s.desired}. ${karpenter ? 'Set maxSize to minSize to state its fixed size' : 'Install new ClusterAutoscaler() to scale it between minSize and maxSize, or Karpenter for nodes of its own; or set maxSize to minSize to state its fixed size'}`);
  }
}
