import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ClusterSupportType, PlatformCluster, PlatformClusterProps } from '../../lib';
import { KUBECTL_LAYERS, MANAGED_ADDON_BUILDS } from '../../lib/eks/addons/addon-versions';
import { kubectlLayerPackage, setKubectlModuleLoader } from '../../lib/eks/kubectl-layer';
import { EKS_SUPPORT_WINDOWS, LIBRARY_RELEASE_DATE, SupportStatus, supportStatus } from '../../lib/eks/kubernetes-support';
import { newStack } from '../helpers';

const MINORS = ['1.33', '1.34', '1.35', '1.36'];

function build(props: PlatformClusterProps = {}) {
  const stack = newStack();
  const platform = new PlatformCluster(stack, 'Platform', { nodegroups: [{ id: 'General' }], ...props });
  return { stack, platform };
}

function addonVersions(template: Template): Record<string, string | undefined> {
  return Object.fromEntries(Object.values<any>(template.findResources('AWS::EKS::Addon')).map((r) => [r.Properties.AddonName, r.Properties.AddonVersion]));
}

describe('Kubernetes 1.33 to 1.36 with no pin given', () => {
  describe.each(MINORS)('Kubernetes %s', (minor) => {
    const { stack } = build({ version: eks.KubernetesVersion.of(minor) });
    const template = Template.fromStack(stack);

    test('synthesizes a cluster on the minor', () => {
      template.hasResourceProperties('AWS::EKS::Cluster', { Version: minor });
    });

    test('bundles the kubectl layer of the minor', () => {
      const layers = Object.values<any>(template.findResources('AWS::Lambda::LayerVersion'))
        .map((r) => r.Properties.Description).filter((d) => /kubectl/.test(d));
      expect(layers).toEqual([expect.stringMatching(new RegExp(`^/opt/kubectl/kubectl ${minor.replace('.', '\\.')}\\.\\d+;`))]);
    });

    test('installs the core add-ons at the version table\'s builds for the minor, or EKS\'s default where the table has none', () => {
      const rendered = addonVersions(template);
      for (const name of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent']) {
        expect({ name, version: rendered[name] }).toEqual({ name, version: MANAGED_ADDON_BUILDS[name][minor]?.version });
      }
    });

    test('puts the node group on the cluster\'s minor', () => {
      template.hasResourceProperties('AWS::EKS::Nodegroup', { Version: minor });
    });
  });

  test('the version table has a kubectl layer for each minor, and kube-proxy builds for 1.33, 1.34 and 1.36', () => {
    for (const minor of MINORS) {
      expect(KUBECTL_LAYERS[minor]?.packageName).toBe(`@aws-cdk/lambda-layer-kubectl-v${minor.split('.')[1]}`);
    }
    expect(['1.33', '1.34', '1.36'].map((minor) => MANAGED_ADDON_BUILDS['kube-proxy'][minor]?.version)).toEqual(['v1.33.10-eksbuild.13', 'v1.34.3-eksbuild.2', 'v1.36.0-eksbuild.25']);
  });

  test('each layer package the library names is installed at the version of the table (devDependencies) and is an optional peer', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('../../package.json');
    for (const layer of Object.values(KUBECTL_LAYERS)) {
      expect(pkg.devDependencies[layer.packageName]).toBe(layer.version);
      expect(pkg.peerDependencies[layer.packageName]).toBe(`^${layer.version}`);
      expect(pkg.peerDependenciesMeta[layer.packageName]).toEqual({ optional: true });
      expect(pkg.dependencies?.[layer.packageName]).toBeUndefined();
    }
  });
});

describe('kubectl layer packages as optional peers', () => {
  afterEach(() => setKubectlModuleLoader());

  function notInstalled(missing: string) {
    setKubectlModuleLoader((name) => {
      if (name === missing) {
        throw Object.assign(new Error(`Cannot find module '${name}' from 'lib/eks/kubectl-layer.ts'`), { code: 'MODULE_NOT_FOUND' });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(name);
    });
  }

  test('loading the library loads no kubectl layer package', () => {
    const loaded: string[] = [];
    const packages = Object.values(KUBECTL_LAYERS).map((l) => l.packageName);
    jest.isolateModules(() => {
      for (const name of packages) {
        jest.doMock(name, () => {
          loaded.push(name);
          return {};
        });
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require('../../lib');
    });
    packages.forEach((name) => jest.dontMock(name));
    expect(loaded).toEqual([]);
  });

  test('loads only the package of the cluster\'s minor, and only when a cluster needs a layer', () => {
    const asked: string[] = [];
    setKubectlModuleLoader((name) => {
      asked.push(name);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(name);
    });
    build({ version: eks.KubernetesVersion.V1_35 });
    build({ version: eks.KubernetesVersion.V1_34, kubectl: false });
    const stack = newStack();
    build({ version: eks.KubernetesVersion.V1_33, kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'L', 'arn:aws:lambda:us-east-1:111122223333:layer:kubectl:1') });
    expect(asked).toEqual(['@aws-cdk/lambda-layer-kubectl-v35']);
  });

  test('fails when the layer package of the cluster\'s minor is not installed, naming the install command, version and kubectlLayer', () => {
    notInstalled('@aws-cdk/lambda-layer-kubectl-v35');
    expect(() => build({ version: eks.KubernetesVersion.V1_35 })).toThrow(
      /^version: Kubernetes 1\.35 needs the kubectl layer package @aws-cdk\/lambda-layer-kubectl-v35, got it not installed \(it is an optional peer dependency of cdk-container-platform\); run 'npm install @aws-cdk\/lambda-layer-kubectl-v35@2\.2\.2', or pass your own kubectlLayer, or set kubectl: false$/);
  });

  test('a cluster without kubectl, or with its own layer, needs no layer package', () => {
    notInstalled('@aws-cdk/lambda-layer-kubectl-v35');
    expect(() => build({ version: eks.KubernetesVersion.V1_35, kubectl: false })).not.toThrow();
    const stack = newStack();
    const layer = lambda.LayerVersion.fromLayerVersionArn(stack, 'L', 'arn:aws:lambda:us-east-1:111122223333:layer:kubectl:1');
    const platform = new PlatformCluster(stack, 'Platform', { version: eks.KubernetesVersion.V1_35, kubectlLayer: layer, nodegroups: [{ id: 'General' }] });
    expect(platform.kubectlEnabled).toBe(true);
  });

  test('passes on an error other than the package itself missing', () => {
    setKubectlModuleLoader(() => {
      throw Object.assign(new Error('Cannot find module \'some-dependency\''), { code: 'MODULE_NOT_FOUND' });
    });
    expect(() => build({ version: eks.KubernetesVersion.V1_36 })).toThrow(/^Cannot find module 'some-dependency'$/);
  });

  test('fails when the installed package does not export the layer class', () => {
    setKubectlModuleLoader(() => ({ Other: class {} }));
    expect(() => build({ version: eks.KubernetesVersion.V1_36 })).toThrow(
      /^version: the installed @aws-cdk\/lambda-layer-kubectl-v36 exports no KubectlV36Layer, got exports Other; install the version this library was tested with: 'npm install @aws-cdk\/lambda-layer-kubectl-v36@2\.0\.1'$/);
  });

  test('knows no layer package for a minor outside 1.33 to 1.36', () => {
    expect(kubectlLayerPackage('1.32')).toBeUndefined();
    expect(kubectlLayerPackage('1.37')).toBeUndefined();
    expect(kubectlLayerPackage('1.36')?.className).toBe('KubectlV36Layer');
  });
});

describe('EKS support windows at the library\'s release date', () => {
  const warningsOf = (props: PlatformClusterProps) => {
    const { stack } = build({ kubectl: false, ...props });
    return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('EKS standard support')).map((w) => String(w.entry.data));
  };

  test('the table is dated and sourced, and 1.34 leaves standard support on 2026-12-02', () => {
    expect(LIBRARY_RELEASE_DATE).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(EKS_SUPPORT_WINDOWS['1.34']).toMatchObject({ standardEnd: '2026-12-02', confirmed: true });
    expect(EKS_SUPPORT_WINDOWS['1.36'].confirmed).toBe(false);
    for (const window of Object.values(EKS_SUPPORT_WINDOWS)) {
      expect(window.source.length).toBeGreaterThan(0);
      expect(Date.parse(window.extendedEnd)).toBeGreaterThan(Date.parse(window.standardEnd));
    }
  });

  test.each([
    ['1.36', SupportStatus.STANDARD], ['1.35', SupportStatus.STANDARD], ['1.34', SupportStatus.STANDARD_ENDING],
    ['1.33', SupportStatus.EXTENDED], ['1.32', SupportStatus.EXTENDED], ['1.31', SupportStatus.UNSUPPORTED],
    ['1.28', SupportStatus.UNSUPPORTED], ['1.37', SupportStatus.NOT_OFFERED],
  ])('Kubernetes %s is %s', (minor, status) => {
    expect(supportStatus(minor)).toBe(status);
  });

  test('compares with the release date, not the clock: 1.35 is within 90 days of its end on 2026-12-27', () => {
    expect(supportStatus('1.35', '2026-12-27')).toBe(SupportStatus.STANDARD_ENDING);
    expect(supportStatus('1.35', '2026-12-26')).toBe(SupportStatus.STANDARD);
  });

  test.each(['1.35', '1.36'])('does not warn on Kubernetes %s', (minor) => {
    expect(warningsOf({ version: eks.KubernetesVersion.of(minor) })).toEqual([]);
  });

  test('warns on 1.34, naming the date, the days left, what supportType STANDARD does and the next minor', () => {
    expect(warningsOf({ version: eks.KubernetesVersion.V1_34 })).toEqual([
      'version: Kubernetes 1.34 leaves EKS standard support on 2026-12-02, 2 days after this library\'s release (2026-11-30), got 1.34; then with supportType STANDARD EKS upgrades the control plane by itself, outside your deploys, and leaves node groups and add-ons behind. Upgrade one minor, to 1.35, before that date (see the README, "Upgrading Kubernetes") [ack: cdk-container-platform:kubernetesStandardSupportEnding]',
    ]);
  });

  test('warns on 1.34 with supportType EXTENDED about the extended-support rate', () => {
    expect(warningsOf({ version: eks.KubernetesVersion.V1_34, supportType: ClusterSupportType.EXTENDED })).toEqual([
      expect.stringContaining('then with supportType EXTENDED the cluster is billed at the extended-support rate. Upgrade one minor, to 1.35'),
    ]);
  });

  test('warns on 1.33, which is in extended support', () => {
    expect(warningsOf({ version: eks.KubernetesVersion.V1_33 })).toEqual([
      expect.stringMatching(/^version: Kubernetes 1\.33 left EKS standard support on 2026-07-29 and is in extended support until 2027-07-29, got 1\.33; with supportType STANDARD EKS upgrades the control plane by itself.* Upgrade one minor, to 1\.34/),
    ]);
  });

  test('warns on 1.32 (extended support) and still asks for its kubectl layer', () => {
    expect(warningsOf({ version: eks.KubernetesVersion.V1_32 })).toEqual([expect.stringContaining('Kubernetes 1.32 left EKS standard support on 2026-03-23')]);
    expect(() => build({ version: eks.KubernetesVersion.V1_32 })).toThrow(/^version: this library bundles a kubectl layer for Kubernetes 1\.33, 1\.34, 1\.35, 1\.36 only, got 1\.32/);
  });

  test('fails when the version is past extended support', () => {
    expect(() => build({ version: eks.KubernetesVersion.V1_31, kubectl: false })).toThrow(
      /^version: Kubernetes 1\.31 is past EKS extended support at this library's release \(2026-11-30; it ended on 2026-11-26\), got 1\.31; EKS creates no cluster on it/);
    expect(() => build({ version: eks.KubernetesVersion.of('1.27'), kubectl: false })).toThrow(/^version: Kubernetes 1\.27 is past EKS extended support/);
  });

  test('fails when the version is newer than any EKS offers', () => {
    expect(() => build({ version: eks.KubernetesVersion.of('1.37'), kubectl: false })).toThrow(
      /^version: Amazon EKS offered Kubernetes up to 1\.36 when this library was released \(2026-11-30\), got 1\.37; use 1\.36, or a newer release of cdk-container-platform that knows 1\.37$/);
  });
});
