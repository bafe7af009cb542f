/**
 * A checker for the STIX 2.1 objects we emit, after the spec's common and per-type required
 * properties (STIX 2.1 OS, §3 "STIX General Concepts", §3.2 common properties, §4 SDOs, §5 SROs,
 * §8 bundle): https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html
 *
 * It is not a complete validator (no vocabulary or pattern checks); it checks what a platform
 * rejects an import for: ids, timestamps, required properties, reference integrity.
 * Returns a list of problems, each prefixed with the object's index and id; empty means valid.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
/** `<type>--<uuid>`; type: lower-case ASCII letters, digits and hyphens, 3–250 characters. */
const ID = new RegExp(`^([a-z0-9][a-z0-9-]{1,248}[a-z0-9])--(${UUID})$`);
/** RFC 3339 in UTC with exactly millisecond precision, as STIX 2.1 requires for created/modified. */
const TIMESTAMP_MS =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)\.\d{3}Z$/;
/** Any STIX timestamp (other timestamp properties may have any sub-second precision). */
const TIMESTAMP =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;
const CUSTOM_PROPERTY = /^x_[a-z0-9_]{1,248}$/;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Properties each type must have (beyond the common ones), as the spec lists them, plus our own rules. */
const REQUIRED: Record<string, string[]> = {
  report: ['name', 'published', 'object_refs'],
  note: ['content', 'object_refs'],
  'intrusion-set': ['name'],
  // identity_class is optional in the spec (SHOULD); we always set it.
  identity: ['name', 'identity_class'],
  campaign: ['name'],
  relationship: ['relationship_type', 'source_ref', 'target_ref'],
  opinion: ['opinion', 'object_refs'],
};

const IDENTITY_CLASSES = new Set(['individual', 'group', 'system', 'organization', 'class', 'unknown']);

/** Options of {@link validateStixBundle}. */
export interface StixValidationOptions {
  /** Accept well-formed references to objects that are not in the bundle (default false). */
  allowExternalRefs?: boolean;
}

/** Problems found in a STIX 2.1 bundle (empty when none). */
export function validateStixBundle(bundle: unknown, options: StixValidationOptions = {}): string[] {
  const problems: string[] = [];
  if (!isObject(bundle)) return ['bundle: not a JSON object'];
  if (bundle.type !== 'bundle')
    problems.push(`bundle: type is ${JSON.stringify(bundle.type)}, expected "bundle"`);
  const bundleId = ID.exec(String(bundle.id));
  if (bundleId?.[1] !== 'bundle')
    problems.push(`bundle: id ${JSON.stringify(bundle.id)} is not bundle--<uuid>`);
  if (!Array.isArray(bundle.objects)) return [...problems, 'bundle: objects is not a list'];

  const ids = new Set<string>();
  const versions = new Set<string>();
  for (const object of bundle.objects)
    if (isObject(object) && typeof object.id === 'string') ids.add(object.id);

  bundle.objects.forEach((object: unknown, index: number) => {
    const where = `objects[${index}]${isObject(object) && typeof object.id === 'string' ? ` ${object.id}` : ''}`;
    const fail = (message: string) => problems.push(`${where}: ${message}`);
    if (!isObject(object)) {
      fail('not a JSON object');
      return;
    }
    const type = object.type;
    if (typeof type !== 'string' || !/^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/.test(type)) {
      fail(`type ${JSON.stringify(type)} is not a STIX type name`);
      return;
    }
    if (object.spec_version !== '2.1')
      fail(`spec_version is ${JSON.stringify(object.spec_version)}, expected "2.1"`);
    const id = ID.exec(String(object.id));
    if (!id) fail(`id ${JSON.stringify(object.id)} is not <type>--<uuid>`);
    else if (id[1] !== type) fail(`id prefix "${id[1]}" does not match type "${type}"`);

    for (const key of ['created', 'modified']) {
      if (typeof object[key] !== 'string' || !TIMESTAMP_MS.test(object[key])) {
        fail(`${key} ${JSON.stringify(object[key])} is not YYYY-MM-DDTHH:mm:ss.sssZ`);
      }
    }
    if (
      typeof object.created === 'string' &&
      typeof object.modified === 'string' &&
      object.modified < object.created
    ) {
      fail('modified is before created');
    }
    const version = `${String(object.id)}@${String(object.modified)}`;
    if (versions.has(version)) fail('the same id and modified appear twice');
    versions.add(version);

    for (const property of REQUIRED[type] ?? []) {
      const value = object[property];
      const missing =
        value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
      if (missing) fail(`required property ${property} is missing`);
      else if (property.endsWith('_refs') && (!Array.isArray(value) || value.length === 0)) {
        fail(`${property} must be a non-empty list`);
      }
    }
    if (type === 'report' && object.published !== undefined && !TIMESTAMP.test(String(object.published))) {
      fail(`published ${JSON.stringify(object.published)} is not a timestamp`);
    }
    if (
      type === 'identity' &&
      object.identity_class !== undefined &&
      !IDENTITY_CLASSES.has(String(object.identity_class))
    ) {
      fail(`identity_class ${JSON.stringify(object.identity_class)} is not in identity-class-ov`);
    }
    if (type === 'relationship' && !/^[a-z0-9-]+$/.test(String(object.relationship_type))) {
      fail(
        `relationship_type ${JSON.stringify(object.relationship_type)} is not lower-case words with hyphens`,
      );
    }
    if (object.confidence !== undefined) {
      const c = object.confidence;
      if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c > 100)
        fail('confidence must be an integer 0–100');
    }
    if (
      object.labels !== undefined &&
      (!Array.isArray(object.labels) || !object.labels.every(nonEmptyString))
    ) {
      fail('labels must be a list of strings');
    }
    if (object.external_references !== undefined) {
      if (!Array.isArray(object.external_references)) fail('external_references must be a list');
      else if (!object.external_references.every((ref) => isObject(ref) && nonEmptyString(ref.source_name))) {
        fail('every external reference needs a source_name');
      }
    }
    for (const [key, value] of Object.entries(object)) {
      if (key.startsWith('x_') && !CUSTOM_PROPERTY.test(key))
        fail(`custom property ${key} is not x_[a-z0-9_]+`);
      const refs = key.endsWith('_refs') ? value : key.endsWith('_ref') ? [value] : undefined;
      if (refs === undefined) continue;
      if (!Array.isArray(refs)) {
        fail(`${key} must be a list`);
        continue;
      }
      for (const ref of refs) {
        if (typeof ref !== 'string' || !ID.test(ref))
          fail(`${key} has a malformed id ${JSON.stringify(ref)}`);
        else if (!ids.has(ref) && !options.allowExternalRefs)
          fail(`${key} points to ${ref}, which is not in the bundle`);
      }
    }
  });
  return problems;
}
