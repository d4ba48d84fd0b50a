import Ajv from 'ajv';

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
/** A kind kubernetes-models has a model for, validated by it. */
function modelValidator(path: string): { validate(object: KubernetesObject): void } {
  return { validate: (object) => new (model(path))(object).validate() };
}

const SERVED_KINDS: Record<string, { validate(object: KubernetesObject): void }> = Object.fromEntries([
  'v1/Namespace',
  'v1/ConfigMap',
  'v1/PersistentVolume',
  'v1/PersistentVolumeClaim',
  'storage.k8s.io/v1/StorageClass',
  'networking.k8s.io/v1/IngressClass',
  // The HPA example workload (examples/eks-autoscaling-stack.ts): autoscaling/v2 GA since 1.23, policy/v1 since 1.21.
  'v1/Service',
  'apps/v1/Deployment',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'policy/v1/PodDisruptionBudget',
].map((path) => [path, modelValidator(path)]));
// Karpenter's custom resources, which kubernetes-models has no model for.
SERVED_KINDS['karpenter.k8s.aws/v1/EC2NodeClass'] = crdValidator('karpenter.k8s.aws_ec2nodeclasses');
SERVED_KINDS['karpenter.sh/v1/NodePool'] = crdValidator('karpenter.sh_nodepools');

/**
 * A custom resource checked against the OpenAPI schema of its CRD (test/fixtures/karpenter-crds: Karpenter
 * v1.14.1's, the chart the library installs). Structural only: the CRDs' CEL rules (x-kubernetes-validations)
 * are not evaluated.
 */
function crdValidator(file: string): { validate(object: KubernetesObject): void } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crd = require(`./fixtures/karpenter-crds/${file}.json`);
  const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false, verbose: true }).compile(crd.schema);
  return {
    validate: (object) => {
      // A deploy-time value (rendered as @@...@@, e.g. a subnet id) cannot be checked against a pattern at synth.
      const errors = validate(object) ? [] : validate.errors!.filter((e) => !(typeof e.data === 'string' && e.data.includes('@@')));
      if (errors.length > 0) {
        throw new Error(errors.map((e) => `${e.instancePath} ${e.message}`).join('; '));
      }
    },
  };
}

/** Every object the template's manifest custom resources apply, deploy-time values rendered by renderTokens. */
export function manifestsOf(template: { Resources?: Record<string, { Type: string; Properties?: any }> }): KubernetesObject[] {
  return Object.values(template.Resources ?? {})
    .filter((r) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource')
    .flatMap((r) => JSON.parse(renderTokens(r.Properties.Manifest)) as KubernetesObject[]);
}

/** What is wrong with an object for Kubernetes 1.36, or undefined when nothing is. */
export function kubernetesProblem(object: KubernetesObject): string | undefined {
  const kind = SERVED_KINDS[`${object.apiVersion}/${object.kind}`];
  if (kind === undefined) {
    return `${object.apiVersion} ${object.kind} is not in the list of kinds checked against Kubernetes 1.36 (test/kubernetes-manifests.ts)`;
  }
  try {
    kind.validate(object);
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
