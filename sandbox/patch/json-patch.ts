/**
 * RFC 6902 JSON patch, with the status codes kube-apiserver gives for each kind of failure.
 *
 * apiserver/pkg/endpoints/handlers/patch.go (jsonPatcher.applyJSPatch): a body that does not
 * decode as a patch is `errors.NewBadRequest(err.Error())` (400); an operation that fails while
 * being applied is `errors.NewGenericServerResponse(http.StatusUnprocessableEntity, …)`, i.e. 422
 * reason Invalid with the generic message "the server rejected our request due to an error in our
 * request" (apimachinery/pkg/api/errors NewGenericServerResponse): the json-patch error text itself
 * is not sent to the client.
 */
import { ApiError, badRequest } from '../api/status.js';
import { deepClone, deepEqual, isJsonObject, type JsonObject } from './json-value.js';

/** maxJSONPatchOperations, as in patch.go: longer patches get 413. */
const maxJSONPatchOperations = 10000;

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
  hasValue: boolean;
}

/** The 422 a real server answers when an operation does not apply (missing path, failed test, bad index). */
export function jsonPatchRejected(): ApiError {
  return new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

class OperationFailed extends Error {}

function decode(operations: unknown): Operation[] {
  // Go's encoding/json names the value it could not decode, e.g. "cannot unmarshal object into Go value of type jsonpatch.Patch".
  if (!Array.isArray(operations)) throw badRequest(`json: cannot unmarshal ${jsonKind(operations)} into Go value of type jsonpatch.Patch`);
  if (operations.length > maxJSONPatchOperations) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJSONPatchOperations}, got ${operations.length}`,
    );
  }
  return operations.map((raw) => {
    if (!isJsonObject(raw)) throw badRequest(`json: cannot unmarshal ${jsonKind(raw)} into Go value of type jsonpatch.Operation`);
    const op: Operation = {
      op: typeof raw.op === 'string' ? raw.op : '',
      path: typeof raw.path === 'string' ? raw.path : '',
      hasValue: Object.prototype.hasOwnProperty.call(raw, 'value'),
      value: raw.value,
    };
    if (typeof raw.from === 'string') op.from = raw.from;
    return op;
  });
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  return 'number';
}

/** parsePointer splits an RFC 6901 pointer into unescaped reference tokens ("" is the whole document). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new OperationFailed(`invalid pointer ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number {
  if (token === '-' && allowEnd) return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new OperationFailed(`invalid array index ${token}`);
  const index = Number(token);
  if (index > length || (!allowEnd && index === length)) throw new OperationFailed(`index out of range ${token}`);
  return index;
}

function container(doc: unknown, tokens: string[]): unknown {
  let node = doc;
  for (const token of tokens) {
    if (Array.isArray(node)) node = node[arrayIndex(token, node.length, false)];
    else if (isJsonObject(node) && Object.prototype.hasOwnProperty.call(node, token)) node = node[token];
    else throw new OperationFailed(`missing path element ${token}`);
  }
  return node;
}

function get(doc: unknown, pointer: string): unknown {
  return container(doc, parsePointer(pointer));
}

/** add returns the new document (the root itself may be replaced). */
function add(doc: unknown, pointer: string, value: unknown): unknown {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) return value;
  const parent = container(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, true), 0, value);
  else if (isJsonObject(parent)) parent[last] = value;
  else throw new OperationFailed('parent is not a container');
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const tokens = parsePointer(pointer);
  const last = tokens.pop();
  if (last === undefined) throw new OperationFailed('cannot remove the whole document');
  const parent = container(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(last, parent.length, false), 1);
  else if (isJsonObject(parent) && Object.prototype.hasOwnProperty.call(parent, last)) delete parent[last];
  else throw new OperationFailed(`remove operation does not apply: doc is missing path: ${pointer}`);
  return doc;
}

function applyOperation(doc: unknown, op: Operation): unknown {
  switch (op.op) {
    case 'add':
      if (!op.hasValue) throw new OperationFailed('add operation has no value');
      return add(doc, op.path, deepClone(op.value));
    case 'remove':
      return remove(doc, op.path);
    case 'replace': {
      if (!op.hasValue) throw new OperationFailed('replace operation has no value');
      get(doc, op.path); // replace requires the target to exist (RFC 6902 §4.3).
      const removed = parsePointer(op.path).length === 0 ? doc : remove(doc, op.path);
      return add(removed, op.path, deepClone(op.value));
    }
    case 'move': {
      if (op.from === undefined) throw new OperationFailed('move operation has no from');
      const value = get(doc, op.from);
      return add(remove(doc, op.from), op.path, value);
    }
    case 'copy': {
      if (op.from === undefined) throw new OperationFailed('copy operation has no from');
      return add(doc, op.path, deepClone(get(doc, op.from)));
    }
    case 'test': {
      let actual: unknown;
      try {
        actual = get(doc, op.path);
      } catch {
        actual = undefined;
      }
      const expected = op.hasValue ? op.value : undefined;
      // evanphx/json-patch treats a missing path as equal to a test for null.
      if (!deepEqual(actual ?? null, expected ?? null)) throw new OperationFailed('testing value failed');
      return doc;
    }
    default:
      throw new OperationFailed(`Unexpected kind: ${op.op}`);
  }
}

/** applyJsonPatchDocument applies an RFC 6902 patch to any JSON document; failures throw ApiError 400/413/422 as the real server does. */
export function applyJsonPatchDocument(target: unknown, operations: unknown): unknown {
  const ops = decode(operations);
  let doc = deepClone(target);
  try {
    for (const op of ops) doc = applyOperation(doc, op);
  } catch (err) {
    if (err instanceof OperationFailed) throw jsonPatchRejected();
    throw err;
  }
  return doc;
}

/** asObject checks that a patched document is still an object, as decoding it back into the kind would require. */
export function asPatchedObject(doc: unknown): JsonObject {
  if (!isJsonObject(doc)) {
    // patch.go: a patched document that does not decode is NewInvalid(GroupKind{}, "", [Invalid("patch", …)]).
    throw new ApiError(
      422,
      'Invalid',
      ` "" is invalid: patch: Invalid value: ${JSON.stringify(JSON.stringify(doc))}: json: cannot unmarshal ${jsonKind(doc)} into Go value of type map[string]interface {}`,
      {
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: ${JSON.stringify(JSON.stringify(doc))}: json: cannot unmarshal ${jsonKind(doc)} into Go value of type map[string]interface {}`,
            field: 'patch',
          },
        ],
      },
    );
  }
  return doc;
}
