import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ClusterAddon } from '../../lib/eks/addons/cluster-addon';
import { ClusterAutoscaler } from '../../lib/eks/addons/cluster-autoscaler';
import { PlatformCluster } from '../../lib/eks/platform-cluster';
import { PlatformNodegroupSpec } from '../../lib/eks/platform-cluster-props';
import { IPlatformCluster } from '../../lib/eks/platform-cluster-ref';
import { PlatformNodegroup } from '../../lib/eks/platform-nodegroup';
import { newStack } from '../helpers';

/** Stands in for the Karpenter add-on (lib/eks/addons/karpenter.ts): registers its name, installs nothing. */
class FakeKarpenter extends ClusterAddon {
  public readonly name = 'karpenter';
  public install(scope: Construct, cluster: IPlatformCluster): Construct {
    const installation = new Construct(scope, 'FakeKarpenter');
    cluster.registerAddon(this.name, installation);
    return installation;
  }
}

function warningsOf(nodegroups: PlatformNodegroupSpec[], addons: ClusterAddon[] = []) {
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

  test('warn on a PlatformNodegroup of another stack, named by the id it was given', () => {
    const stack = newStack();
    const cluster = new PlatformCluster(stack, 'Cluster', { nodegroups: [{ id: 'System', minSize: 2, maxSize: 2 }] });
    const team = new Stack(stack.node.scope as App, 'Team');
    new PlatformNodegroup(team, 'Batch', { cluster, minSize: 0, maxSize: 8 });
    const warnings = Annotations.fromStack(team).findWarning('*', Match.stringLikeRegexp('nothing scales it'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/^maxSize: node group 'Batch' may grow to 8 nodes/);
  });

  test('do not warn when the Cluster Autoscaler is installed in an add-ons stack', () => {
    const stack = newStack();
    const cluster = new PlatformCluster(stack, 'Cluster', { nodegroups: [{ id: 'Default', minSize: 1, maxSize: 5 }] });
    new ClusterAutoscaler().install(new Stack(stack.node.scope as App, 'Addons'), cluster);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('nothing scales it'));
  });

  test('warn beside Karpenter installed in an add-ons stack', () => {
    const stack = newStack();
    const cluster = new PlatformCluster(stack, 'Cluster', { nodegroups: [{ id: 'System', minSize: 2, maxSize: 3 }] });
    new FakeKarpenter().install(new Stack(stack.node.scope as App, 'Addons'), cluster);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('nothing scales it'));
    expect(String(warnings[0].entry.data)).toMatch(/Karpenter adds nodes of its own/);
  });
});
