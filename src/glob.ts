/** Minimal glob matching for static pod paths and ignore patterns (no dependency needed). */

/** Converts a glob (`**`, `*`, `?`, `{a,b}`) to an anchored regular expression over `/` paths. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      const slashAfter = glob[i + 2] === '/';
      const slashBefore = i === 0 || glob[i - 1] === '/';
      if (slashBefore && slashAfter) {
        pattern += '(?:.*/)?';
        i += 2;
      } else {
        pattern += '.*';
        i += 1;
      }
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else if (char === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) pattern += '\\{';
      else {
        const choices = glob.slice(i + 1, close).split(',').map((choice) => choice.replace(/[.+^$()|[\]\\]/g, '\\$&'));
        pattern += `(?:${choices.join('|').replace(/\*/g, '[^/]*')})`;
        i = close;
      }
    } else pattern += char.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}
