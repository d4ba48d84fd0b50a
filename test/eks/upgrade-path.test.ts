import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { AwsLoadBalancerController, EbsCsiDriver, MetricsServer, PlatformCluster } from '../../lib';
import { MANAGED_ADDON_BUILDS } from '../../lib/eks/addons/addon-versions';
import { compareBuilds } from '../../scripts/addon-versions';
import { CfnOrder } from '../cfn-order';
import { newStack } from '../helpers';

/** The same app at a Kubernetes minor: two node groups, a Fargate profile, core add-ons and three more. */
function platformAt(minor: string) {
  const stack = newStack('Platform');
  const lbc = new AwsLoadBalancerController();
  const platform = new PlatformCluster(stack, 'Platform', {
    version: eks.KubernetesVersion.of(minor),
    nodegroups: [{ id: 'General' }, { id: 'Arm', amiType: eks.NodegroupAmiType.BOTTLEROCKET_ARM_64 }],
    fargateProfiles: [{ id: 'Batch', selectors: [{ namespace: 'batch' }] }],
    addons: [new MetricsServer(), new EbsCsiDriver(), lbc],
  });
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, any> };
  const id = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
  return { stack, platform, lbc, template, id };
}

function ofType(template: { Resources: Record<string, any> }, type: string): string[] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
}

/** Logical id -> the properties whose values differ between two templates of the same app. */
function changedProperties(before: { Resources: Record<string, any> }, after: { Resources: Record<string, any> }): Record<string, string[]> {
  const changed: Record<string, string[]> = {};
  for (const [id, a] of Object.entries(before.Resources)) {
    const b = after.Resources[id];
    const keys = [...new Set([...Object.keys(a.Properties ?? {}), ...Object.keys(b?.Properties ?? {})])]
      .filter((k) => JSON.stringify(a.Properties?.[k]) !== JSON.stringify(b?.Properties?.[k]));
    if (JSON.stringify(a.DependsOn) !== JSON.stringify(b?.DependsOn)) {
      keys.push('DependsOn');
    }
    if (keys.length > 0) {
      changed[id] = keys.sort();
    }
  }
  return changed;
}

describe('CfnOrder', () => {
  const order = new CfnOrder({
    Resources: {
      A: { Type: 'T' },
      B: { Type: 'T', Properties: { X: { Ref: 'A' } } },
      C: { Type: 'T', DependsOn: ['B'] },
      D: { Type: 'T', Properties: { X: { 'Fn::Sub': '${C.Arn}/x' }, Y: { 'Fn::GetAtt': ['A', 'Arn'] }, Z: { Ref: 'AWS::Region' } } },
      E: { Type: 'T' },
    },
  });

  test('orders through Ref, DependsOn, Fn::Sub and Fn::GetAtt, transitively', () => {
    expect(order.isBefore('A', 'B')).toBe(true);
    expect(order.isBefore('A', 'C')).toBe(true);
    expect(order.isBefore('C', 'D')).toBe(true);
    expect(order.dependenciesOf('D')).toEqual(new Set(['C', 'A']));
  });

  test('does not order resources without a path, nor backwards', () => {
    expect(order.isBefore('B', 'A')).toBe(false);
    expect(order.isBefore('E', 'D')).toBe(false);
    expect(order.isBefore('D', 'E')).toBe(false);
  });
});

describe.each([['1.33', '1.34'], ['1.34', '1.35'], ['1.35', '1.36']])('changing version from %s to %s', (from, to) => {
  const before = platformAt(from);
  const after = platformAt(to);
  const changed = changedProperties(before.template, after.template);
  const cluster = after.id(after.platform.cluster);
  const nodegroups = after.platform.nodegroups.map(after.id);
  const addonIds: Record<string, string> = Object.fromEntries(ofType(after.template, 'AWS::EKS::Addon').map((id) => [after.template.Resources[id].Properties.AddonName as string, id]));
  const layer = ofType(after.template, 'AWS::Lambda::LayerVersion').find((id) => /kubectl/.test(after.template.Resources[id].Properties.Description))!;

  test('keeps every logical id, so nothing but the kubectl layer is replaced', () => {
    expect(Object.keys(after.template.Resources).sort()).toEqual(Object.keys(before.template.Resources).sort());
    const replacing = Object.entries(changed).filter(([id, keys]) => id !== layer && keys.some((k) => !['Version', 'AddonVersion'].includes(k)));
    expect(replacing).toEqual([]);
  });

  test('moves the control plane, every node group and the kubectl layer to the new minor', () => {
    expect(after.template.Resources[cluster].Properties.Version).toBe(to);
    expect(changed[cluster]).toEqual(['Version']);
    for (const ng of nodegroups) {
      expect({ ng, version: before.template.Resources[ng].Properties.Version }).toEqual({ ng, version: from });
      expect({ ng, version: after.template.Resources[ng].Properties.Version }).toEqual({ ng, version: to });
      expect(changed[ng]).toEqual(['Version']);
    }
    expect(changed[layer]).toEqual(['Content', 'Description']);
    expect(after.template.Resources[layer].Properties.Description).toMatch(new RegExp(`^/opt/kubectl/kubectl ${to.replace('.', '\\.')}\\.`));
  });

  test('moves each add-on to the new minor\'s build where the version table has one, and never back to an older build', () => {
    for (const [name, addon] of Object.entries(addonIds)) {
      const old = before.template.Resources[addon].Properties.AddonVersion;
      const next = after.template.Resources[addon].Properties.AddonVersion;
      expect({ name, next }).toEqual({ name, next: MANAGED_ADDON_BUILDS[name][to]?.version });
      expect({ name, changed: changed[addon] !== undefined }).toEqual({ name, changed: old !== next });
      if (old !== undefined && next !== undefined) {
        expect({ name, old, next, backwards: compareBuilds(next, old) < 0 }).toEqual({ name, old, next, backwards: false });
      }
    }
  });

  test('rolls the node groups with PodDisruptionBudgets respected, onto the newest AMI release of the new minor', () => {
    for (const ng of nodegroups) {
      const props = after.template.Resources[ng].Properties;
      expect(props.ForceUpdateEnabled).toBe(false);
      expect(props.ReleaseVersion).toBeUndefined();
      expect(props.UpdateConfig).toEqual({ MaxUnavailable: 1 });
      const template = after.template.Resources[props.LaunchTemplate.Id.Ref];
      expect(template.Properties.LaunchTemplateData.ImageId).toBeUndefined();
    }
  });

  test('upgrades the control plane first, then vpc-cni, kube-proxy and the Pod Identity agent, then the node groups, then CoreDNS and the add-ons that wait for compute, then the Helm chart', () => {
    const order = new CfnOrder(after.template);
    const nodePrerequisites = ['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent'].map((n) => addonIds[n]);
    const waitForCompute = ['coredns', 'metrics-server', 'aws-ebs-csi-driver'].map((n) => addonIds[n]);
    const chart = ofType(after.template, 'Custom::AWSCDK-EKS-HelmChart').find((id) => after.template.Resources[id].Properties.Chart === 'aws-load-balancer-controller')!;
    for (const addon of Object.values(addonIds)) {
      expect({ addon, afterCluster: order.isBefore(cluster, addon) }).toEqual({ addon, afterCluster: true });
      expect({ addon, beforeChart: order.isBefore(addon, chart) }).toEqual({ addon, beforeChart: true });
    }
    for (const ng of nodegroups) {
      expect(order.isBefore(cluster, ng)).toBe(true);
      for (const addon of nodePrerequisites) {
        expect({ addon, ng, before: order.isBefore(addon, ng) }).toEqual({ addon, ng, before: true });
      }
      for (const addon of waitForCompute) {
        expect({ addon, ng, after: order.isBefore(ng, addon) }).toEqual({ addon, ng, after: true });
      }
    }
    // The two node groups roll at the same time: neither waits for the other.
    expect(order.isBefore(nodegroups[0], nodegroups[1]) || order.isBefore(nodegroups[1], nodegroups[0])).toBe(false);
  });
});
