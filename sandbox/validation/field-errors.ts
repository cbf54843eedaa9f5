/**
 * StatusCauses shaped like apimachinery's field.Error: `reason` is the ErrorType
 * (FieldValueInvalid, FieldValueRequired, …) and `message` is ErrorBody(), i.e. everything the
 * 422 message prints after "<field>: ".
 */
import type { StatusCause } from '../api/status.js';
import { badValue, goQuote } from './go-syntax.js';

/** requiredValue is field.Required. */
export function requiredValue(field: string, detail = ''): StatusCause {
  return { reason: 'FieldValueRequired', message: detail ? `Required value: ${detail}` : 'Required value', field };
}

/** invalidValue is field.Invalid; `rendered` is the bad value already printed (see go-syntax.ts). */
export function invalidValue(field: string, rendered: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${rendered}${detail ? `: ${detail}` : ''}`, field };
}

/** invalidJson is field.Invalid for a decoded JSON value. */
export function invalidJson(field: string, value: unknown, detail: string): StatusCause {
  return invalidValue(field, badValue(value), detail);
}

/** typeInvalid is field.TypeInvalid (printed as "Invalid value"). */
export function typeInvalid(field: string, value: unknown, detail: string): StatusCause {
  return { reason: 'FieldValueTypeInvalid', message: `Invalid value: ${badValue(value)}: ${detail}`, field };
}

/** notSupported is field.NotSupported: each allowed value is strconv.Quote'd. */
export function notSupported(field: string, value: unknown, allowed: string[]): StatusCause {
  const detail = allowed.length > 0 ? `: supported values: ${allowed.map(goQuote).join(', ')}` : '';
  return { reason: 'FieldValueNotSupported', message: `Unsupported value: ${badValue(value)}${detail}`, field };
}

/** forbidden is field.Forbidden. */
export function forbidden(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field };
}

/** tooLong is field.TooLong / TooLongMaxLength (the value is not printed). */
export function tooLong(field: string, detail: string): StatusCause {
  return { reason: 'FieldValueTooLong', message: `Too long: ${detail}`, field };
}

/** tooMany is field.TooMany. */
export function tooMany(field: string, actual: number, max: number): StatusCause {
  return { reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items`, field };
}

/** duplicate is field.Duplicate. */
export function duplicate(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueDuplicate', message: `Duplicate value: ${badValue(value)}`, field };
}
