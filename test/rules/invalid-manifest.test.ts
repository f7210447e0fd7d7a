import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('invalid-manifest', {
  valid: [
    { name: 'an object with apiVersion and kind', code: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n' },
    { name: 'empty and comment-only documents are skipped, as kubectl does', code: '# nothing\n---\n---\n~\n' },
  ],
  invalid: [
    {
      name: 'a document that is a list',
      code: '- apiVersion: v1\n  kind: Namespace\n',
      errors: [{ messageId: 'notAnObject', severity: 2, line: 1, column: 1, message: 'is a list' }],
    },
    {
      name: 'a document that is a plain value',
      code: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\njust some text\n',
      errors: [{ messageId: 'notAnObject', severity: 2, line: 5, column: 1, message: 'a plain string value' }],
    },
    {
      name: 'missing kind, reported at the object',
      code: 'apiVersion: v1\nmetadata: {name: a}\n',
      errors: [{ messageId: 'missingField', severity: 2, line: 1, column: 1, message: 'no kind' }],
    },
    {
      name: 'kind that is not a string',
      code: 'apiVersion: v1\nkind: 12\n',
      errors: [{ messageId: 'notAString', severity: 2, line: 2, column: 7 }],
    },
  ],
});
