import { Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ImageSource, ServiceImage } from '../../lib';

describe('ServiceImage', () => {
  test('accepts a pinned tag, a digest and an image without a visible tag', () => {
    expect(ServiceImage.fromNewRepository('1.4.2').source).toBe(ImageSource.NEW_REPOSITORY);
    const repo = ecr.Repository.fromRepositoryName(new Stack(), 'Repo', 'team/web');
    expect(ServiceImage.fromRepository(repo, `sha256:${'a'.repeat(64)}`).tagOrDigest).toMatch(/^sha256:/);
    expect(ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:1.27-alpine').containerImage).toBeDefined();
    expect(ServiceImage.fromRegistry('localhost:5000/app@sha256:' + 'b'.repeat(64)).source).toBe(ImageSource.CONTAINER_IMAGE);
    expect(ServiceImage.fromContainerImage(ecs.ContainerImage.fromRegistry('anything')).source).toBe(ImageSource.CONTAINER_IMAGE);
  });

  test('fails when a repository tag is latest', () => {
    expect(() => ServiceImage.fromNewRepository('latest')).toThrow(/tag: 'latest' \(or no tag\) moves with every push.*got 'latest'/);
  });

  test('fails when a registry image has no tag (an implicit latest)', () => {
    expect(() => ServiceImage.fromRegistry('registry.example.com:5000/team/web')).toThrow(/imageName: 'latest' \(or no tag\).*got 'registry.example.com:5000\/team\/web'/);
  });

  test('fails when a tag is not a valid Docker tag', () => {
    const repo = ecr.Repository.fromRepositoryName(new Stack(), 'Repo', 'team/web');
    expect(() => ServiceImage.fromRepository(repo, '-bad tag')).toThrow(/tagOrDigest: not a valid image tag or sha256 digest, got '-bad tag'/);
  });
});
