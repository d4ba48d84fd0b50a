import { CfnParameter } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { ClusterAutoscaler } from '../../lib/eks/addons/cluster-autoscaler';
import { IClusterAddon } from '../../lib/eks/addons/cluster-addon';
import { PlatformCluster, PlatformNodegroupSpec } from '../../lib/eks/platform-cluster';
import { newStack } from '../helpers';

/** Stands in for the Karpenter add-on (lib/eks/addons/karpenter.ts), which installs nothing here. */
class FakeKarpenter implements IClusterAddon {
  public readonly name = 'karpenter';
  public install(): void {}
}

function warningsOf(nodegroups: PlatformNodegroupSpec[], addons: IClusterAddon[] = []) {
  const stack = newStack();
  new PlatformCluster(stack, 'Cluster', { nodegroups, addons });
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('nothing scales it'));
}

describe('node groups that nothing scales', () => {
  test('warn at synth when maxSize exceeds minSize and no node autoscaler is installed', () => {
    const warnings = warningsOf([{ id: 'Default', minSize: 2, maxSize: 6 }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Test/Cluster/NodegroupDefault');
    expect(String(warnings[0].entry.data)).toMatch(/^maxSize: node group 'Default' may grow to 6 nodes but nothing scales it, got minSize 2 and maxSize 6, and the cluster has no node autoscaler.*it stays at desiredSize 2\. Install new ClusterAutoscaler\(\)/);
  });

  test('warn for the default sizes (2 to 4)', () => {
    expect(warningsOf([{ id: 'Default' }])).toHaveLength(1);
  });

  test('do not warn for a group whose minSize equals its maxSize', () => {
    expect(warningsOf([{ id: 'Fixed', minSize: 3, maxSize: 3 }])).toEqual([]);
  });

  test('do not warn when the Cluster Autoscaler is installed, even if added after the node groups', () => {
    const stack = newStack();
    const cluster = new PlatformCluster(stack, 'Cluster');
    cluster.addNodegroup('Late', { minSize: 1, maxSize: 5 });
    cluster.addAddon(new ClusterAutoscaler());
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('nothing scales it'));
  });

  test('warn beside Karpenter, which does not scale managed node groups', () => {
    const warnings = warningsOf([{ id: 'System', minSize: 2, maxSize: 3 }], [new FakeKarpenter()]);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/Karpenter adds nodes of its own and does not scale managed node groups; it stays at desiredSize 2\. Set maxSize to minSize/);
  });

  test('do not warn when the sizes are tokens unknown at synth', () => {
    const stack = newStack();
    const max = new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber;
    new PlatformCluster(stack, 'Cluster', { nodegroups: [{ id: 'Param', minSize: 1, maxSize: max }] });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('nothing scales it'));
  });
});
