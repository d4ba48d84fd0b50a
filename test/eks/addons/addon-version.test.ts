import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  AddonVersion, AwsLoadBalancerController, ContainerInsights, CoreDnsAddon, EbsCsiDriver, EfsCsiDriver, KubeProxyAddon, MetricsServer,
  PlatformCluster, PlatformClusterProps, PodIdentityAgentAddon, VpcCniAddon,
} from '../../../lib';
import { EfsCsiDriverInstallation } from '../../../lib/eks/addons/efs-csi-driver';
import { HELM_CHARTS, MANAGED_ADDON_BUILDS } from '../../../lib/eks/addons/addon-versions';
import { AddonVersionsRecord, isOffered } from '../../../scripts/addon-versions';
import { newStack } from '../../helpers';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'describe-addon-versions');
const RECORDS: AddonVersionsRecord[] = ['1.33', '1.34', '1.35', '1.36'].map((minor) => ({
  output: JSON.parse(readFileSync(path.join(FIXTURES, `kubernetes-${minor}.json`), 'utf8')),
  source: minor,
}));

/** A cluster on a Kubernetes minor, with the user's kubectl layer where the library bundles none, a node group, a Fargate profile and the given add-ons. */
function clusterOn(minor: string, props: PlatformClusterProps = {}): { stack: Stack; cluster: PlatformCluster } {
  const stack = newStack();
  const kubectlLayer = minor === '1.36' ? undefined : lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', 'arn:aws:lambda:us-east-1:111122223333:layer:kubectl:1');
  const cluster = new PlatformCluster(stack, 'Cluster', {
    version: eks.KubernetesVersion.of(minor),
    kubectlLayer,
    nodegroups: [{ id: 'Default' }],
    fargateProfiles: [{ id: 'Apps', selectors: [{ namespace: 'apps' }] }],
    ...props,
  });
  return { stack, cluster };
}

/** Every add-on of the library, each at its default version. */
function allAddons() {
  return [new AwsLoadBalancerController(), new EbsCsiDriver(), new EfsCsiDriver(), new ContainerInsights(), new MetricsServer()];
}

/** AddonName -> the AddonVersion the template renders (undefined when it renders none). */
function renderedVersions(template: Template): Record<string, string | undefined> {
  return Object.fromEntries(Object.values(template.findResources('AWS::EKS::Addon')).map((r: any) => [r.Properties.AddonName, r.Properties.AddonVersion]));
}

describe('AddonVersion', () => {
  describe.each(['1.33', '1.34', '1.35', '1.36'])('by default on Kubernetes %s', (minor) => {
    const { stack } = clusterOn(minor, { addons: allAddons() });
    const template = Template.fromStack(stack);
    const rendered = renderedVersions(template);

    test('every managed add-on renders the version table\'s build for the minor, or none where the table has none', () => {
      expect(Object.keys(rendered).sort()).toEqual(Object.keys(MANAGED_ADDON_BUILDS).sort());
      for (const [addonName, version] of Object.entries(rendered)) {
        expect({ addonName, version }).toEqual({ addonName, version: MANAGED_ADDON_BUILDS[addonName][minor]?.version });
      }
    });

    test('every build it renders is offered for the minor in the recorded describe-addon-versions output', () => {
      const unoffered = Object.entries(rendered).filter(([name, version]) => version !== undefined && !isOffered(RECORDS, name, minor, version));
      expect(unoffered).toEqual([]);
    });

    test('warns, naming the command that lists builds, for each add-on that renders no version', () => {
      const missing = Object.entries(rendered).filter(([, version]) => version === undefined).map(([name]) => name);
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('version table has no'));
      expect(warnings.map((w) => /no (\S+) build seen/.exec(String(w.entry.data))![1]).sort()).toEqual(missing.sort());
      for (const name of missing) {
        expect(JSON.stringify(warnings)).toContain(`aws eks describe-addon-versions --addon-name ${name} --kubernetes-version ${minor}`);
      }
    });

    test('the load balancer controller installs the version table\'s chart', () => {
      template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Chart: 'aws-load-balancer-controller', Version: HELM_CHARTS['aws-load-balancer-controller'].version });
    });
  });

  test('renders the 1.36 builds of the version table on a default cluster', () => {
    const { stack } = clusterOn('1.36', { addons: allAddons() });
    expect(renderedVersions(Template.fromStack(stack))).toEqual({
      'vpc-cni': 'v1.23.1-eksbuild.1',
      'coredns': 'v1.14.3-eksbuild.24',
      'kube-proxy': 'v1.36.0-eksbuild.25',
      'eks-pod-identity-agent': 'v1.4.0-eksbuild.2',
      'metrics-server': 'v0.9.0-eksbuild.11',
      'amazon-cloudwatch-observability': 'v6.6.0-eksbuild.1',
      'aws-ebs-csi-driver': 'v1.66.0-eksbuild.1',
      'aws-efs-csi-driver': 'v3.4.2-eksbuild.1',
    });
  });

  test('falls back to EKS\'s default build on a 1.33 cluster for an add-on without a 1.33 build, and warns', () => {
    const { stack, cluster } = clusterOn('1.33', { addons: [new MetricsServer()] });
    const rendered = renderedVersions(Template.fromStack(stack));
    expect(rendered['vpc-cni']).toBe('v1.22.3-eksbuild.1');
    expect(rendered['eks-pod-identity-agent']).toBeUndefined();
    expect(rendered['metrics-server']).toBeUndefined();
    Annotations.fromStack(stack).hasWarning(`/${cluster.podIdentityAgent!.node.path}`, Match.stringLikeRegexp(
      "^version: this library's version table has no eks-pod-identity-agent build seen for Kubernetes 1.33 \\(it has: 1.34, 1.36\\), so no version is rendered and EKS installs its default build for the cluster's version. To pin one, list the builds with 'aws eks describe-addon-versions --addon-name eks-pod-identity-agent --kubernetes-version 1.33'"));
    Annotations.fromStack(stack).hasNoWarning(`/${cluster.node.path}/VpcCniAddon`, Match.anyValue());
  });

  test('recommended() is the default', () => {
    const { stack } = clusterOn('1.36', { kubectl: false, addons: [new MetricsServer({ version: AddonVersion.recommended() })] });
    expect(renderedVersions(Template.fromStack(stack))['metrics-server']).toBe('v0.9.0-eksbuild.11');
  });

  test('of() renders the given build', () => {
    const { stack } = clusterOn('1.36', { kubectl: false, coreAddons: { vpcCni: new VpcCniAddon({ version: AddonVersion.of('v1.22.4-eksbuild.3') }) } });
    expect(renderedVersions(Template.fromStack(stack))['vpc-cni']).toBe('v1.22.4-eksbuild.3');
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('vpc-cni'));
  });

  test('of() passes a token through unchecked', () => {
    const version = Lazy.string({ produce: () => 'v1.22.4-eksbuild.3' });
    const { stack } = clusterOn('1.36', { kubectl: false, coreAddons: { coreDns: new CoreDnsAddon({ version: AddonVersion.of(version) }) } });
    expect(renderedVersions(Template.fromStack(stack)).coredns).toBe('v1.22.4-eksbuild.3');
  });

  test('eksDefault() renders no version and warns that a cluster upgrade will not move the add-on', () => {
    const kubeProxy = new KubeProxyAddon({ version: AddonVersion.eksDefault() });
    const efs = new EfsCsiDriver({ version: AddonVersion.eksDefault() });
    const { stack, cluster } = clusterOn('1.36', { coreAddons: { kubeProxy }, addons: [efs] });
    const template = Template.fromStack(stack);
    expect(renderedVersions(template)['kube-proxy']).toBeUndefined();
    expect(template.toJSON().Resources[stack.getLogicalId((cluster.node.findChild('EfsCsiDriver') as EfsCsiDriverInstallation).addon!)].Properties).not.toHaveProperty('AddonVersion');
    const message = (name: string) => Match.stringLikeRegexp(`^version: AddonVersion.eksDefault\\(\\) renders no ${name} version, so EKS installs its default build for Kubernetes 1.36 at create; a later upgrade of the cluster's version does not move the add-on`);
    Annotations.fromStack(stack).hasWarning(`/${cluster.node.path}/KubeProxyAddon`, message('kube-proxy'));
    Annotations.fromStack(stack).hasWarning(`/${(cluster.node.findChild('EfsCsiDriver') as EfsCsiDriverInstallation).addon!.node.path}`, message('aws-efs-csi-driver'));
  });

  test('eksDefault() leaves the other add-ons at the version table\'s build', () => {
    const { stack } = clusterOn('1.36', { kubectl: false, addons: [new MetricsServer({ version: AddonVersion.eksDefault() })] });
    const rendered = renderedVersions(Template.fromStack(stack));
    expect(rendered['metrics-server']).toBeUndefined();
    expect(rendered['vpc-cni']).toBe('v1.23.1-eksbuild.1');
  });

  test.each([['v1.23.1'], ['1.23.1-eksbuild.1'], ['latest'], ['v1.23.1-eksbuild.'], ['v1.23-eksbuild.1'], ['']])('fails when the version is not an EKS add-on version (%p)', (version) => {
    expect(() => AddonVersion.of(version)).toThrow(/^version: not an EKS add-on version, got '.*'; pass a version such as 'v1.23.1-eksbuild.1' as listed by 'aws eks describe-addon-versions'$/);
  });

  test.each([
    ['VpcCniAddon', () => new VpcCniAddon({ version: AddonVersion.of('1.23') })],
    ['CoreDnsAddon', () => new CoreDnsAddon({ version: AddonVersion.of('1.14') })],
    ['KubeProxyAddon', () => new KubeProxyAddon({ version: AddonVersion.of('1.36') })],
    ['PodIdentityAgentAddon', () => new PodIdentityAgentAddon({ version: AddonVersion.of('1.4') })],
  ])('fails when %s gets a version that is not an EKS add-on version', (_, create) => {
    expect(create).toThrow(/^version: not an EKS add-on version, got '1\.\d+'/);
  });
});
