// The kubectl Lambda layer a cluster's kubectl handler gets, by Kubernetes minor. Module-private: not
// exported from lib/index.ts.
//
// The layer packages (`@aws-cdk/lambda-layer-kubectl-vNN`, ~30 MB each) are optional peer
// dependencies, loaded here only when a cluster needs one: an ECS-only project installs and loads the
// library without any of them, and a cluster project installs the one of its minor.
import { Token } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { KUBECTL_LAYERS, SeenKubectlLayer } from './addons/addon-versions';
import { kubernetesMinorOf } from './kubernetes-support';

/** Loads a package by name, as `require` does; replaceable so that tests can simulate a package that is not installed. */
export type ModuleLoader = (packageName: string) => unknown;

// A plain `require`, resolved from this file: a peer dependency sits beside the library in the user's node_modules.
const nodeRequire: ModuleLoader = (packageName) => require(packageName);
let loadModule: ModuleLoader = nodeRequire;

/** For tests: replaces the module loader; call with no argument to restore `require`. */
export function setKubectlModuleLoader(loader?: ModuleLoader): void {
  loadModule = loader ?? nodeRequire;
}

/** The construct class a layer package exports: `KubectlV36Layer` for Kubernetes 1.36. */
type LayerClass = new (scope: Construct, id: string) => lambda.ILayerVersion;

/** The npm package, version and class name of the kubectl layer of a Kubernetes minor (`'1.36'`), if the library knows one. */
export function kubectlLayerPackage(minor: string): (SeenKubectlLayer & { readonly className: string }) | undefined {
  if (!Object.hasOwn(KUBECTL_LAYERS, minor)) {
    return undefined;
  }
  return { ...KUBECTL_LAYERS[minor], className: `KubectlV${minor.split('.')[1]}Layer` };
}

/** Whether `error` says that `packageName` itself (not something it requires) cannot be found. */
function isNotInstalled(error: unknown, packageName: string): boolean {
  const e = error as { code?: string; message?: string };
  return (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_MODULE_NOT_FOUND') && (e.message ?? '').includes(`'${packageName}'`);
}

/**
 * The kubectl layer of the cluster's Kubernetes minor, created as `id` under `scope`, from the layer
 * package of that minor. Fails, naming the prop to change and the command to run, for a version unknown
 * at synth, a minor without a layer package, and a layer package that is not installed.
 */
export function bundledKubectlLayer(scope: Construct, id: string, version: eks.KubernetesVersion): lambda.ILayerVersion {
  if (Token.isUnresolved(version.version)) {
    throw new Error('version: the kubectl layer must match the Kubernetes version, got a version unknown at synth (a token, e.g. a CfnParameter value); pass the matching kubectlLayer, or set kubectl: false');
  }
  const minor = kubernetesMinorOf(version) ?? version.version;
  const known = kubectlLayerPackage(minor);
  if (known === undefined) {
    const n = minor.split('.')[1];
    throw new Error(`version: this library bundles a kubectl layer for Kubernetes ${Object.keys(KUBECTL_LAYERS).join(', ')} only, got ${version.version}; pass kubectlLayer (e.g. KubectlV${n}Layer from @aws-cdk/lambda-layer-kubectl-v${n}), use a version from that list, or set kubectl: false`);
  }
  let exported: Record<string, unknown>;
  try {
    exported = loadModule(known.packageName) as Record<string, unknown>;
  } catch (error) {
    if (!isNotInstalled(error, known.packageName)) {
      throw error;
    }
    throw new Error(`version: Kubernetes ${minor} needs the kubectl layer package ${known.packageName}, got it not installed (it is an optional peer dependency of cdk-container-platform); run 'npm install ${known.packageName}@${known.version}', or pass your own kubectlLayer, or set kubectl: false`);
  }
  const layerClass = exported?.[known.className] as LayerClass | undefined;
  if (typeof layerClass !== 'function') {
    throw new Error(`version: the installed ${known.packageName} exports no ${known.className}, got exports ${Object.keys(exported ?? {}).join(', ') || 'none'}; install the version this library was tested with: 'npm install ${known.packageName}@${known.version}'`);
  }
  return new layerClass(scope, id);
}
