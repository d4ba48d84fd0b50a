import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolume } from 'kubernetes-models/v1/PersistentVolume';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { IngressClass } from 'kubernetes-models/networking.k8s.io/v1/IngressClass';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1/StorageClass';
import Ajv from 'ajv';

/** A Kubernetes object as a manifest custom resource applies it. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

/**
 * The kinds the library and its examples apply, each at a GA group/version that Kubernetes 1.36 serves
 * (all GA since 1.19 or earlier, none deprecated), with its model from kubernetes-models 4.5.1, whose
 * OpenAPI schemas are Kubernetes 1.33.0's (5.x has 1.36's but needs Node.js 22 and ESM).
 * A new kind fails the test until it is checked and added here.
 */
const SERVED_KINDS: Record<string, { validate(object: KubernetesObject): void }> = {
  'v1/Namespace': { validate: (o) => new Namespace(o as any).validate() },
  'v1/ConfigMap': { validate: (o) => new ConfigMap(o as any).validate() },
  'v1/PersistentVolume': { validate: (o) => new PersistentVolume(o as any).validate() },
  'v1/PersistentVolumeClaim': { validate: (o) => new PersistentVolumeClaim(o as any).validate() },
  'storage.k8s.io/v1/StorageClass': { validate: (o) => new StorageClass(o as any).validate() },
  'networking.k8s.io/v1/IngressClass': { validate: (o) => new IngressClass(o as any).validate() },
  // The HPA example workload (examples/eks-autoscaling-stack.ts): autoscaling/v2 GA since 1.23, policy/v1 since 1.21.
  'v1/Service': { validate: (o) => new Service(o as any).validate() },
  'apps/v1/Deployment': { validate: (o) => new Deployment(o as any).validate() },
  'autoscaling/v2/HorizontalPodAutoscaler': { validate: (o) => new HorizontalPodAutoscaler(o as any).validate() },
  'policy/v1/PodDisruptionBudget': { validate: (o) => new PodDisruptionBudget(o as any).validate() },
  'karpenter.k8s.aws/v1/EC2NodeClass': crdValidator('karpenter.k8s.aws_ec2nodeclasses'),
  'karpenter.sh/v1/NodePool': crdValidator('karpenter.sh_nodepools'),
};

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
