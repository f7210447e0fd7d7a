import { stringify } from 'yaml';
import { parseManifests } from '/work/main/dist/src/parse/parse.js';
const [docs, options, comments] = JSON.parse(process.argv[2]);
let text = docs.map((doc) => stringify(doc, options)).join('---\n');
const lines = text.split('\n');
for (const [at, indent] of comments) lines.splice(at % (lines.length + 1), 0, `${' '.repeat(indent % 7)}# note`);
text = lines.join('\n').replace(/: null$/gm, ':');
console.log(text);
for (const d of parseManifests(text).documents) {
if (!Object.getOwnPropertyDescriptor(d, 'contents')?.get) continue;
const show = (n, s='') => { if (!n) return; console.log(s, n.constructor.name, n.range, JSON.stringify(n.value ?? ''), n.type ?? '', n.source); for (const i of n.items ?? []) { if (i.key) { show(i.key, s+'  k'); show(i.value, s+'  v'); } else show(i, s+'  '); } };
show(d.contents); console.log('---'); show(d.document.contents);
}
