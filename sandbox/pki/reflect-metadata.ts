/**
 * The few `Reflect` metadata functions @peculiar/x509's dependency tsyringe insists on finding at
 * load time ("tsyringe requires a reflect polyfill"). The reflect-metadata package is not a
 * dependency of this project, and x509 only stores and reads decorator metadata through these.
 */
type Key = unknown;
const store = new WeakMap<object, Map<string | undefined, Map<Key, unknown>>>();

function table(target: object, property: string | undefined, create: boolean): Map<Key, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let entries = byProperty.get(property);
  if (!entries && create) {
    entries = new Map();
    byProperty.set(property, entries);
  }
  return entries;
}

function getOwnMetadata(key: Key, target: object, property?: string): unknown {
  return table(target, property, false)?.get(key);
}

function getMetadata(key: Key, target: object, property?: string): unknown {
  for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
    const entries = table(t, property, false);
    if (entries?.has(key)) return entries.get(key);
  }
  return undefined;
}

function defineMetadata(key: Key, value: unknown, target: object, property?: string): void {
  table(target, property, true)?.set(key, value);
}

const polyfill = {
  getOwnMetadata,
  getMetadata,
  defineMetadata,
  hasOwnMetadata: (key: Key, target: object, property?: string): boolean => table(target, property, false)?.has(key) ?? false,
  hasMetadata: (key: Key, target: object, property?: string): boolean => getMetadata(key, target, property) !== undefined,
  metadata:
    (key: Key, value: unknown) =>
    (target: object, property?: string): void =>
      defineMetadata(key, value, target, property),
};

const reflect = Reflect as unknown as Record<string, unknown>;
for (const [name, fn] of Object.entries(polyfill)) if (typeof reflect[name] !== 'function') reflect[name] = fn;

/** installed tells whether Reflect carries metadata functions (always true once this module ran). */
export const reflectMetadataInstalled = typeof reflect.getMetadata === 'function';
