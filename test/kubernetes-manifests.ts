/** A Kubernetes object as a manifest custom resource applies it. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

/**
 * kubernetes-models 5 (schemas of Kubernetes 1.36.0) is ESM only: jest loads it through
 * test/esm-packages.js. Each model is required on first use, so a test that validates nothing pays nothing.
 */
type Model = new (object: unknown) => { validate(): void };
function model(path: string): Model {
  const name = path.slice(path.lastIndexOf('/') + 1);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`kubernetes-models/${path}`)[name] as Model;
}

/**
 * The kinds the library and its examples apply, each at a GA group/version that Kubernetes 1.36 serves
 * (all GA since 1.19 or earlier, none deprecated), with its model from kubernetes-models 5.1.0, whose
 * OpenAPI schemas are Kubernetes 1.36.0's; each is `<apiVersion>/<kind>`, also the model's module path.
 * A new kind fails the test until it is checked and added here.
 */
const SERVED_KINDS = new Set([
  'v1/Namespace',
  'v1/ConfigMap',
  'v1/PersistentVolume',
  'v1/PersistentVolumeClaim',
  'storage.k8s.io/v1/StorageClass',
  'networking.k8s.io/v1/IngressClass',
]);

/** Every object the template's manifest custom resources apply, deploy-time values rendered by renderTokens. */
export function manifestsOf(template: { Resources?: Record<string, { Type: string; Properties?: any }> }): KubernetesObject[] {
  return Object.values(template.Resources ?? {})
    .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
    .flatMap((r) => JSON.parse(renderTokens(r.Properties.Manifest)) as KubernetesObject[]);
}

/** What is wrong with an object for Kubernetes 1.36, or undefined when nothing is. */
export function kubernetesProblem(object: KubernetesObject): string | undefined {
  const modelPath = `${object.apiVersion}/${object.kind}`;
  if (!SERVED_KINDS.has(modelPath)) {
    return `${object.apiVersion} ${object.kind} is not in the list of kinds checked against Kubernetes 1.36 (test/kubernetes-manifests.ts)`;
  }
  try {
    new (model(modelPath))(object).validate();
    return undefined;
  } catch (e) {
    return `${object.kind} ${object.metadata?.name}: ${(e as Error).message}`;
  }
}

/**
 * A manifest or Helm values string as the template holds it: a string, or an Fn::Join of strings and
 * deploy-time values, which come back as `@@<intrinsic as JSON, single-quoted>@@`.
 */
export function renderTokens(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join === undefined) {
    throw new Error(`neither a string nor an Fn::Join: ${JSON.stringify(value)}`);
  }
  return join[1].map((p) => (typeof p === 'string' ? p : `@@${JSON.stringify(p).replace(/"/g, "'")}@@`)).join(join[0]);
}
