import { Names, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import type { ContainerInstanceAttribute } from './cluster-capacity';

/**
 * The custom container-instance attribute each EC2 capacity of the library registers its instances with,
 * so that a DAEMON service (which takes no capacity provider strategy) can be held to the capacity it
 * names by a placement constraint. Letters and hyphens only: valid as an ECS attribute name, a bare TOML
 * key (Bottlerocket) and in a cluster query expression, as ECS's own `ecs.availability-zone` is.
 */
export const CAPACITY_ATTRIBUTE_NAME = 'cdk-container-platform-capacity';

/**
 * ECS attribute rules (Amazon ECS API reference, "Attribute"): names of 1-128 letters, digits, hyphens,
 * underscores, forward and back slashes and periods; values of 1-128 of those (no back slash needed here)
 * plus at signs and colons. ECS also allows spaces inside values, but the library writes the value unquoted
 * into a placement expression, so it takes none.
 */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_./\\-]{1,128}$/;
const ATTRIBUTE_VALUE = /^[A-Za-z0-9_./\\@:-]{1,128}$/;

/** The attribute of the instances of the capacity built under `scope`: its path, unique in the app. */
export function capacityAttributeOf(scope: IConstruct): ContainerInstanceAttribute {
  return { name: CAPACITY_ATTRIBUTE_NAME, value: Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' }) };
}

/** Checks an attribute the user names (an imported capacity's), skipping tokens. */
export function validateInstanceAttribute(prop: string, attribute: ContainerInstanceAttribute): void {
  const { name, value } = attribute;
  if (!Token.isUnresolved(name) && !ATTRIBUTE_NAME.test(name)) {
    throw new Error(`${prop}.name: ECS attribute names are 1 to 128 letters, digits, hyphens, underscores, slashes, back slashes and periods, got '${name}'; pass the name the capacity's instances register (ECS_INSTANCE_ATTRIBUTES or Bottlerocket settings.ecs.instance-attributes)`);
  }
  if (!Token.isUnresolved(value) && !ATTRIBUTE_VALUE.test(value)) {
    throw new Error(`${prop}.value: must be 1 to 128 letters, digits, hyphens, underscores, periods, at signs, slashes, back slashes or colons (the library writes it unquoted into a placement expression, so no spaces), got '${value}'; register the instances with such a value`);
  }
}

/** Holds a service's tasks to the instances that carry the attribute (binding, unlike placement strategies). */
export function memberOfCapacity(attribute: ContainerInstanceAttribute): ecs.PlacementConstraint {
  return ecs.PlacementConstraint.memberOf(`attribute:${attribute.name} == ${attribute.value}`);
}

/**
 * The AL2023 agent setting (Amazon ECS Developer Guide, "Amazon ECS container agent configuration",
 * ECS_INSTANCE_ATTRIBUTES: a JSON object of custom attributes registered with the instance). Single-quoted:
 * the library's names and values contain no quote.
 */
export function al2023AttributeSetting(attribute: ContainerInstanceAttribute): string {
  return `echo 'ECS_INSTANCE_ATTRIBUTES=${JSON.stringify({ [attribute.name]: attribute.value })}' >> /etc/ecs/ecs.config`;
}

/**
 * The Bottlerocket setting: the table `settings.ecs.instance-attributes` of key = value pairs added when
 * the instance registers (Bottlerocket settings reference, `settings.ecs.instance-attributes`). Its own
 * table header, so it must come after every key of `[settings.ecs]`.
 */
export function bottlerocketAttributeSettings(attribute: ContainerInstanceAttribute): string[] {
  return ['[settings.ecs.instance-attributes]', `${attribute.name} = ${JSON.stringify(attribute.value)}`];
}
