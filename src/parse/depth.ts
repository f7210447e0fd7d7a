/** Nesting limits: no Kubernetes object nests this deep, and recursive code must never meet it. */
export const MAX_DEPTH = 512;

/** Whether a value nests deeper than `limit`, checked without recursion. */
export function nestsDeeperThan(value: unknown, limit: number = MAX_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
