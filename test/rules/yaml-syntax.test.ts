import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('yaml-syntax', {
  valid: [
    { name: 'well-formed YAML', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' },
    { name: 'JSON is YAML', filename: 'a.json', code: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}\n' },
    {
      name: 'a quoted string whose continuation is indented no deeper than its key (go-yaml accepts it)',
      code: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    note: 'first line\n    second line'\n",
    },
  ],
  invalid: [
    {
      name: 'a duplicate key is reported at the second key',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n',
      errors: [{ messageId: 'duplicateKey', severity: 2, line: 5, column: 3, endColumn: 7, message: 'duplicate key "name"' }],
    },
    {
      name: 'a syntax error in one document leaves the others linted',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  name: c\n',
      errors: [
        { messageId: 'syntax', severity: 2, line: 4, column: 1 },
        { messageId: 'duplicateKey', severity: 2, line: 9, column: 3 },
      ],
    },
    {
      name: 'an unterminated quote',
      code: 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "unterminated\n',
      errors: [{ messageId: 'syntax', severity: 2, line: 5, column: 1, message: 'Missing closing "quote' }],
    },
    {
      name: 'a key that is a mapping or a list (go-yaml: "invalid map key"), in block and flow style',
      code: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  {a: b}: c\n  ? [x, y]\n  : d\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {k: v, [e]: f}\n',
      errors: [
        { messageId: 'syntax', severity: 2, line: 5, column: 3, endLine: 5, endColumn: 9, message: /^YAML syntax error: a mapping key is itself a mapping or a list: .*\("invalid map key"\)/ },
        { messageId: 'syntax', severity: 2, line: 6, column: 5, endLine: 6, endColumn: 11 },
        { messageId: 'syntax', severity: 2, line: 12, column: 14, endLine: 12, endColumn: 17 },
      ],
    },
    {
      name: 'a syntax error in JSON input',
      filename: 'a.json',
      code: '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",,\n}\n',
      errors: [{ messageId: 'syntax', severity: 2, line: 3, column: 23 }],
    },
  ],
});
