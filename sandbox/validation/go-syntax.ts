/**
 * Go's `%#v` rendering of the values field errors quote. apimachinery's field.Error prints a
 * bad value that is not a scalar with `%#v`, so messages such as
 * `spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, …}: field is immutable`
 * carry the Go type. These helpers reproduce that shape closely enough for people and greps.
 */
import { isJsonObject } from '../patch/json-value.js';

/** goQuote is Go's %q for a string (JSON escaping is the same for the characters names use). */
export function goQuote(value: string): string {
  return JSON.stringify(value);
}

/** badValue renders a field.Error BadValue: scalars plainly, strings quoted, the rest as Go literals. */
export function badValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return goGeneric(value);
}

/** goGeneric renders decoded JSON as Go prints map[string]interface{} / []interface{} values. */
export function goGeneric(value: unknown): string {
  if (Array.isArray(value)) return `[]interface {}{${value.map(goGeneric).join(', ')}}`;
  if (isJsonObject(value)) {
    return `map[string]interface {}{${Object.keys(value)
      .sort()
      .map((k) => `${goQuote(k)}:${goGeneric(value[k])}`)
      .join(', ')}}`;
  }
  return badValue(value);
}

/** goStringMap renders a map[string]string (labels, selectors). */
export function goStringMap(value: unknown): string {
  if (!isJsonObject(value)) return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(value)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(value[k]))}`)
    .join(', ')}}`;
}

/** goLabelSelector renders a metav1.LabelSelector as the immutable-selector error prints it. */
export function goLabelSelector(selector: unknown): string {
  const s = isJsonObject(selector) ? selector : {};
  const expressions =
    Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0
      ? `[]v1.LabelSelectorRequirement{${s.matchExpressions
          .map((e) => {
            const r = isJsonObject(e) ? e : {};
            const values = Array.isArray(r.values) ? `[]string{${r.values.map((v) => goQuote(String(v))).join(', ')}}` : '[]string(nil)';
            return `v1.LabelSelectorRequirement{Key:${goQuote(String(r.key ?? ''))}, Operator:${goQuote(String(r.operator ?? ''))}, Values:${values}}`;
          })
          .join(', ')}}`
      : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(s.matchLabels)}, MatchExpressions:${expressions}}`;
}

/** goStruct renders an object as a Go struct literal of `typeName`, fields capitalised, nested values generically. */
export function goStruct(typeName: string, value: unknown): string {
  if (!isJsonObject(value)) return `${typeName}{}`;
  const fields = Object.entries(value).map(([k, v]) => {
    const name = k.charAt(0).toUpperCase() + k.slice(1);
    if (k === 'metadata') return `ObjectMeta:${goStruct('v1.ObjectMeta', v)}`;
    if (k === 'labels' || k === 'annotations') return `${name}:${goStringMap(v)}`;
    return `${name}:${goGeneric(v)}`;
  });
  return `${typeName}{${fields.join(', ')}}`;
}

/** goCrdVersions renders spec.versions as the CRD storage-version error prints []apiextensions.CustomResourceDefinitionVersion. */
export function goCrdVersions(versions: unknown): string {
  if (!Array.isArray(versions) || versions.length === 0) return '[]apiextensions.CustomResourceDefinitionVersion(nil)';
  const items = versions.map((raw, i) => {
    const v = isJsonObject(raw) ? raw : {};
    const pointer = (present: unknown, type: string): string =>
      present === undefined ? `(*${type})(nil)` : `(*${type})(0xc000${(0x5a0 + i * 0x40).toString(16).padStart(6, '0')})`;
    return `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(String(v.name ?? ''))}, Served:${v.served === true}, Storage:${v.storage === true}, Deprecated:${v.deprecated === true}, DeprecationWarning:${v.deprecationWarning === undefined ? '(*string)(nil)' : `(*string)(0xc000${(0x9a0 + i * 0x10).toString(16).padStart(6, '0')})`}, Schema:${pointer(v.schema, 'apiextensions.CustomResourceValidation')}, Subresources:${pointer(v.subresources, 'apiextensions.CustomResourceSubresources')}, AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}`;
  });
  return `[]apiextensions.CustomResourceDefinitionVersion{${items.join(', ')}}`;
}
