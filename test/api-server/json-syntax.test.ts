// A body that is not JSON is refused in the words of Go's encoding/json, as dockerd refuses it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSyntaxError } from '../../source/api-server/json-syntax.js';

describe('jsonSyntaxError: Go\'s words for what is wrong', () => {
  const cases: Array<[string, string]> = [
    ['{', 'unexpected EOF'],
    ['{"Image": "x",', 'unexpected EOF'],
    ['{invalid json', "invalid character 'i' looking for beginning of object key string"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', 'invalid character \'"\' after object key:value pair'],
    ['[1 2]', "invalid character '2' after array element"],
    ['xyz', "invalid character 'x' looking for beginning of value"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['{"a":"b\n"}', "invalid character '\\n' in string literal"],
    ['{"a":"\\q"}', "invalid character 'q' in string escape code"],
    ['{"a":-x}', "invalid character 'x' in numeric literal"],
    ['{"a":1.}', "invalid character '}' after decimal point in numeric literal"],
    ['{"a":1}x', 'unexpected content after JSON'],
  ];
  for (const [text, words] of cases) it(JSON.stringify(text), () => assert.equal(jsonSyntaxError(text), words));
});
