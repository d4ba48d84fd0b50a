import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { PlatformRule } from './platform-rule';
import { checkContainers, ContainerVerdict } from './task-containers';

/** Stands in for a part of the image reference only known at deploy time (a Ref, an asset location). */
const UNKNOWN = '\u0000';

/** ECS5: every image is pinned by an explicit tag other than latest, or by digest. */
export const ECS5_PINNED_IMAGE: PlatformRule = {
  id: 'ECS5',
  statement: 'Every container image of the ECS task definition names a digest (`@sha256:...`) or an explicit tag other than `latest`; a tag only known at deploy time (a parameter) is not judged.',
  info: 'A container image of the ECS task definition is tagged latest or has no tag.',
  explanation: 'An untagged image means :latest, which changes under a running service: two tasks of one revision can run different code, and a rollback redeploys the new image. Pass a version tag (ContainerImage.fromEcrRepository(repo, \'1.4.2\')) or a digest.',
  level: NagMessageLevel.ERROR,
  check: (node: CfnResource): NagRuleResult => checkContainers(node, (c) => judgeImage(flatten(c.Image))),
};

/**
 * Renders a resolved image reference as text, with {@link UNKNOWN} where a token sits: ECR images are
 * `Fn::Join`s of the registry, a `Ref` to the repository and the literal `:tag`; assets are `Fn::Sub`s.
 */
function flatten(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (value && typeof value === 'object') {
    const join = (value as any)['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return join[1].map(flatten).join(join[0]);
    }
    const sub = (value as any)['Fn::Sub'];
    const template = Array.isArray(sub) ? sub[0] : sub;
    if (typeof template === 'string') {
      return template.replace(/\$\{[^}]*\}/g, UNKNOWN);
    }
  }
  return UNKNOWN;
}

function judgeImage(image: string): ContainerVerdict {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) {
    return ContainerVerdict.COMPLIANT;
  }
  // The tag follows the last ':' after the last '/': 'localhost:5000/app' has a port, not a tag.
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) {
    // Without a ':' the reference means :latest, unless a token could be hiding the tag.
    return lastSegment.includes(UNKNOWN) ? ContainerVerdict.UNKNOWN : ContainerVerdict.NON_COMPLIANT;
  }
  const tag = lastSegment.slice(colon + 1);
  if (tag.includes(UNKNOWN)) {
    return ContainerVerdict.UNKNOWN;
  }
  return tag === '' || tag === 'latest' ? ContainerVerdict.NON_COMPLIANT : ContainerVerdict.COMPLIANT;
}
