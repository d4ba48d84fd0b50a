import { Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { ContainerRepository, ContainerRepositoryProps } from '../registry/container-repository';

/** A digest pins one image forever; a tag is a name for whichever image was pushed last. */
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
/** Docker tag grammar: 1-128 characters, no leading '.' or '-'. */
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Where the container image comes from. */
export enum ImageSource {
  /** A repository the service creates with the registry layer's defaults (ContainerRepository). */
  NEW_REPOSITORY = 'NEW_REPOSITORY',
  /** An existing ECR repository and a tag or digest. */
  REPOSITORY = 'REPOSITORY',
  /** Any `ecs.ContainerImage`: a registry name, a local Dockerfile asset. */
  CONTAINER_IMAGE = 'CONTAINER_IMAGE',
}

/**
 * The image a service runs: from its own new ECR repository, from an existing repository, or any
 * `ecs.ContainerImage`. Tags are checked where they are visible: `latest` (or no tag) is rejected,
 * because a moving tag makes a rollback redeploy whatever was pushed last.
 */
export class ServiceImage {
  /**
   * Create an ECR repository for the service (a `ContainerRepository`, exposed as `service.repository`)
   * and run `tag` from it. The first deployment waits until that tag is pushed.
   */
  public static fromNewRepository(tag: string, repositoryProps: ContainerRepositoryProps = {}): ServiceImage {
    checkTag('tag', tag);
    return new ServiceImage(ImageSource.NEW_REPOSITORY, tag, undefined, undefined, repositoryProps);
  }

  /** An existing ECR repository and a tag or a digest (`sha256:...`). */
  public static fromRepository(repository: ecr.IRepository, tagOrDigest: string): ServiceImage {
    checkTag('tagOrDigest', tagOrDigest);
    return new ServiceImage(ImageSource.REPOSITORY, tagOrDigest, repository, undefined, undefined);
  }

  /** An image by name from a public or private registry, e.g. `public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine`. */
  public static fromRegistry(imageName: string): ServiceImage {
    if (!Token.isUnresolved(imageName)) {
      checkTag('imageName', tagOf(imageName) ?? '', imageName);
    }
    return new ServiceImage(ImageSource.CONTAINER_IMAGE, undefined, undefined, ecs.ContainerImage.fromRegistry(imageName), undefined);
  }

  /** Any `ecs.ContainerImage`, e.g. `ecs.ContainerImage.fromAsset('./app')`. Its tag is not visible here, so not checked. */
  public static fromContainerImage(image: ecs.ContainerImage): ServiceImage {
    return new ServiceImage(ImageSource.CONTAINER_IMAGE, undefined, undefined, image, undefined);
  }

  /** Where the image comes from. */
  public readonly source: ImageSource;
  /** The tag or digest, for repository sources. */
  public readonly tagOrDigest?: string;
  /** The existing repository (REPOSITORY). */
  public readonly repository?: ecr.IRepository;
  /** The image (CONTAINER_IMAGE). */
  public readonly containerImage?: ecs.ContainerImage;
  /** Props of the repository to create (NEW_REPOSITORY). */
  public readonly repositoryProps?: ContainerRepositoryProps;

  private constructor(source: ImageSource, tagOrDigest: string | undefined, repository: ecr.IRepository | undefined,
    containerImage: ecs.ContainerImage | undefined, repositoryProps: ContainerRepositoryProps | undefined) {
    this.source = source;
    this.tagOrDigest = tagOrDigest;
    this.repository = repository;
    this.containerImage = containerImage;
    this.repositoryProps = repositoryProps;
  }

  /**
   * The `ecs.ContainerImage` the container runs, and the repository created for it under `scope`
   * (`Repository`) when the source is NEW_REPOSITORY.
   * @internal
   */
  public _bind(scope: Construct): { image: ecs.ContainerImage; repository?: ContainerRepository } {
    if (this.source === ImageSource.NEW_REPOSITORY) {
      const repository = new ContainerRepository(scope, 'Repository', this.repositoryProps);
      return { image: ecs.ContainerImage.fromEcrRepository(repository, this.tagOrDigest), repository };
    }
    if (this.source === ImageSource.REPOSITORY) {
      return { image: ecs.ContainerImage.fromEcrRepository(this.repository!, this.tagOrDigest) };
    }
    return { image: this.containerImage! };
  }
}

/** The tag of `registry/name:tag`, or `@sha256:...`, or undefined when the name has neither. */
function tagOf(imageName: string): string | undefined {
  const at = imageName.indexOf('@');
  if (at >= 0) {
    return imageName.slice(at + 1);
  }
  const lastSegment = imageName.slice(imageName.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : undefined;
}

function checkTag(prop: string, tag: string, shown: string = tag): void {
  if (Token.isUnresolved(tag) || DIGEST_PATTERN.test(tag)) {
    return;
  }
  if (tag === '' || tag.toLowerCase() === 'latest') {
    throw new Error(`${prop}: 'latest' (or no tag) moves with every push, so a rollback would not restore the old image, got '${shown}'; pin a version tag such as '1.4.2' or a digest 'sha256:...'`);
  }
  if (!TAG_PATTERN.test(tag)) {
    throw new Error(`${prop}: not a valid image tag or sha256 digest, got '${shown}'; tags are 1-128 letters, digits, '_', '.' and '-', not starting with '.' or '-'`);
  }
}
